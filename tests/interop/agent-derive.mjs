// SPDX-License-Identifier: MIT
// agent-derive.mjs — an independent check of cclink-agent-x25519-v1 (doc/SSH-AGENT.md) with
// stock OpenSSH: `message KEY.pub EPOCH` writes m (to be signed by
// `ssh-keygen -Y sign -n cclink-x25519-v1@cclink -f KEY.pub`, which frames it as SSHSIG with
// sha512), `derive KEY.pub EPOCH SIGFILE` reads that armoured SSHSIG, checks it names the key
// and namespace, and prints the derived age recipient (age1…).
import { readFileSync } from 'node:fs'
import { hkdfSync, createPrivateKey, createPublicKey } from 'node:crypto'
import { bech32 } from '@scure/base'

const [cmd, pubFile, epochStr, sigFile] = process.argv.slice(2)
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
