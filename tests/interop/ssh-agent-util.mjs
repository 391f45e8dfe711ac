// SPDX-License-Identifier: MIT
// ssh-agent-util.mjs — independent checks for the ssh-agent identity tests, on stock OpenSSH
// files (written for cclink's tests; nothing here is cclink code):
//   message KEY.pub EPOCH         write m of cclink-agent-x25519-v1 (doc/ssh-agent.md) to stdout,
//                                 to be signed by `ssh-keygen -Y sign -n cclink-x25519-v1@cclink
//                                 -f KEY.pub` (SSHSIG framing with sha512, as the scheme says)
//   derive KEY.pub EPOCH SIGFILE  read that armoured SSHSIG, check key and namespace, print the
//                                 derived age recipient (age1…)
//   z32 KEY.pub                   the z-base-32 PKARR key of an ssh-ed25519 public key
//   seed KEY                      the 64-hex Ed25519 seed of an unencrypted OpenSSH private key
import { readFileSync } from 'node:fs'
import { hkdfSync, createPrivateKey, createPublicKey } from 'node:crypto'
import { bech32 } from '@scure/base'
import z32 from 'z32'

const [cmd, pubFile, epochStr, sigFile] = process.argv.slice(2)
if (cmd === 'seed') {
  const b = Buffer.from(readFileSync(pubFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----')).join(''), 'base64')
  let o = 15 // "openssh-key-v1\0"
  const rd = () => { const n = b.readUInt32BE(o); const v = b.subarray(o + 4, o + 4 + n); o += 4 + n; return v }
  if (rd().toString() !== 'none') throw new Error('encrypted key')
  rd(); rd(); o += 4; rd()
  const priv = rd()
  o = 0
  const b2 = priv
  let p = 8
  const rd2 = () => { const n = b2.readUInt32BE(p); const v = b2.subarray(p + 4, p + 4 + n); p += 4 + n; return v }
  rd2(); rd2()
  console.log(rd2().subarray(0, 32).toString('hex'))
  process.exit(0)
}
if (cmd === 'z32') {
  const bl = Buffer.from(readFileSync(pubFile, 'utf8').trim().split(/\s+/)[1], 'base64')
  console.log(z32.encode(bl.subarray(19)))
  process.exit(0)
}
const blob = Buffer.from(readFileSync(pubFile, 'utf8').trim().split(/\s+/)[1], 'base64')
const epoch = Buffer.alloc(4)
epoch.writeUInt32BE(Number(epochStr))
if (blob.length !== 51) throw new Error('not an ssh-ed25519 public key')
const m = Buffer.concat([Buffer.from('cclink agent-derived X25519 key v1\0'), blob, epoch])
if (cmd === 'message') {
  process.stdout.write(m)
  process.exit(0)
}
if (cmd !== 'derive') throw new Error('usage: message|derive KEY.pub EPOCH [SIG]')
const armored = readFileSync(sigFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----')).join('')
const s = Buffer.from(armored, 'base64')
let off = 0
const str = () => { const n = s.readUInt32BE(off); const v = s.subarray(off + 4, off + 4 + n); off += 4 + n; return v }
if (s.subarray(0, 6).toString() !== 'SSHSIG') throw new Error('not SSHSIG')
off = 10
if (!str().equals(blob)) throw new Error('signature by another key')
if (str().toString() !== 'cclink-x25519-v1@cclink') throw new Error('namespace')
str()
if (str().toString() !== 'sha512') throw new Error('hash')
const sigBlob = str()
const s2 = sigBlob
const n1 = s2.readUInt32BE(0)
const sig = s2.subarray(4 + n1 + 4, 4 + n1 + 4 + 64)
if (sig.length !== 64) throw new Error('signature length')
const pk = blob.subarray(19)
const xsk = Buffer.from(hkdfSync('sha256', sig, Buffer.from('cclink-x25519-v1'), Buffer.concat([pk, epoch]), 32))
const der = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), xsk])
const priv = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
const xpk = Buffer.from(createPublicKey(priv).export({ format: 'jwk' }).x, 'base64url')
console.log(bech32.encode('age', bech32.toWords(xpk), false))
