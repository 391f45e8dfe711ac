// SPDX-License-Identifier: MIT
// fake-agent.mjs — a hostile or broken ssh-agent on a unix socket, for cclink's agent tests.
//   node fake-agent.mjs SOCKET MODE [KEY.pub]
// Prints READY once listening; serves until killed (or --parent-pid dies). Every connection
// gets one reply chosen by MODE (for REQUEST_IDENTITIES / SIGN_REQUEST):
//   garbage      random bytes with a plausible length
//   oversized    a length of 0xffffffff (and nothing else)
//   big-length   a length of 16 MiB followed by a few bytes
//   truncated    the reply announces 100 bytes, sends 10, closes
//   close        closes without answering
//   big-count    IDENTITIES_ANSWER claiming 2^31 keys
//   huge-blob    one key whose blob length is 2^30
//   trailing     a valid answer with trailing junk
//   wrong-type   a SIGN_RESPONSE to REQUEST_IDENTITIES
//   failure      SSH_AGENT_FAILURE to everything
//   sk           lists KEY.pub and an sk-ssh-ed25519@openssh.com key (from KEY.pub's bytes)
//   bad-sig      lists KEY.pub; signs with 64 zero bytes in a well-formed reply
//   sig-type     lists KEY.pub; answers signs with an ssh-rsa signature blob
//   silent       never answers (the client must time out)
//   hedged       lists KEY.pub and signs with VALID but randomized Ed25519 signatures (a hedged
//                signer), with the seed from the file KEY.pub's name minus ".pub" + ".seed"
//                (64 hex); @noble/curves (pinned in package-lock.json) does the point math
import net from 'node:net'
import fs from 'node:fs'
import crypto from 'node:crypto'

const [sock, mode, pubFile] = process.argv.slice(2)
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b }
const str = (b) => Buffer.concat([u32(b.length), Buffer.from(b)])
const msg = (type, payload = Buffer.alloc(0)) => Buffer.concat([u32(1 + payload.length), Buffer.from([type]), payload])
const blob = pubFile ? Buffer.from(fs.readFileSync(pubFile, 'utf8').trim().split(/\s+/)[1], 'base64') : str('ssh-ed25519')
let hedged = null
if (mode === 'hedged') {
  const { ed25519 } = await import('@noble/curves/ed25519.js')
  const seed = Buffer.from(fs.readFileSync(pubFile.replace(/\.pub$/, '.seed'), 'utf8').trim(), 'hex')
  const h = crypto.createHash('sha512').update(seed).digest()
  h[0] &= 248; h[31] &= 127; h[31] |= 64
  const le = (b) => BigInt('0x' + Buffer.from(b).reverse().toString('hex'))
  const n = ed25519.Point.Fn.ORDER
  const a = le(h.subarray(0, 32)) % n
  const A = blob.subarray(19)
  hedged = (m) => {
    const r = le(crypto.randomBytes(64)) % n
    const R = Buffer.from(ed25519.Point.BASE.multiply(r).toBytes())
    const k = le(crypto.createHash('sha512').update(Buffer.concat([R, A, m])).digest()) % n
    const S = (r + k * a) % n
    const Sb = Buffer.from(S.toString(16).padStart(64, '0'), 'hex').reverse()
    return Buffer.concat([R, Sb])
  }
}
const skBlob = Buffer.concat([str('sk-ssh-ed25519@openssh.com'), str(blob.subarray(19)), str('ssh:')])

function answer (req) {
  const type = req[0]
  switch (mode) {
    case 'garbage': return Buffer.concat([u32(40), crypto.randomBytes(40)])
    case 'oversized': return u32(0xffffffff)
    case 'big-length': return Buffer.concat([u32(16 << 20), Buffer.from([12, 0, 0])])
    case 'truncated': return Buffer.concat([u32(100), Buffer.alloc(10, 12)])
    case 'big-count': return msg(12, u32(0x80000000))
    case 'huge-blob': return msg(12, Buffer.concat([u32(1), u32(1 << 30), Buffer.alloc(8)]))
    case 'trailing': return msg(12, Buffer.concat([u32(1), str(blob), str('c'), Buffer.from('junk')]))
    case 'wrong-type': return msg(14, str(Buffer.concat([str('ssh-ed25519'), str(Buffer.alloc(64))])))
    case 'failure': return msg(5)
  }
  if (type === 11) {
    if (mode === 'sk') return msg(12, Buffer.concat([u32(2), str(blob), str('plain'), str(skBlob), str('fido@key')]))
    return msg(12, Buffer.concat([u32(1), str(blob), str('fake@agent')]))
  }
  if (type === 13) {
    if (mode === 'hedged') {
      // SIGN_REQUEST: string key_blob, string data, uint32 flags
      const kl = req.readUInt32BE(1)
      const dl = req.readUInt32BE(5 + kl)
      const data = req.subarray(9 + kl, 9 + kl + dl)
      return msg(14, str(Buffer.concat([str('ssh-ed25519'), str(hedged(data))])))
    }
    if (mode === 'sig-type') return msg(14, str(Buffer.concat([str('rsa-sha2-512'), str(Buffer.alloc(64))])))
    return msg(14, str(Buffer.concat([str('ssh-ed25519'), str(Buffer.alloc(64))])))
  }
  return msg(5)
}

const server = net.createServer((c) => {
  let buf = Buffer.alloc(0)
  c.on('error', () => {})
  c.on('data', (d) => {
    buf = Buffer.concat([buf, d])
    if (buf.length < 4 || buf.length < 4 + buf.readUInt32BE(0)) return
    const req = buf.subarray(4, 4 + buf.readUInt32BE(0))
    buf = Buffer.alloc(0)
    if (mode === 'silent') return
    if (mode === 'close') { c.destroy(); return }
    c.write(answer(req))
    if (mode === 'truncated' || mode === 'oversized' || mode === 'big-length') c.end()
  })
})
try { fs.unlinkSync(sock) } catch {}
server.listen(sock, () => console.log('READY'))
const parent = process.argv.indexOf('--parent-pid')
if (parent > 0) {
  const pid = Number(process.argv[parent + 1])
  setInterval(() => { try { process.kill(pid, 0) } catch { process.exit(0) } }, 500).unref()
}
setTimeout(() => process.exit(0), 600000).unref()
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => process.exit(0))
