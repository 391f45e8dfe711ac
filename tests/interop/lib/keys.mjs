// SPDX-License-Identifier: MIT
// Ed25519 (node:crypto), z-base-32 public keys (npm z32) and the two Ed25519 -> X25519
// conversions cclink uses (libsodium crypto_sign_ed25519_{pk,sk}_to_curve25519).
import crypto from 'node:crypto'
import z32 from 'z32'

// DER prefixes that wrap a raw 32-byte key into PKCS#8 / SPKI (RFC 8410).
const ED_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex')
const ED_SPKI = Buffer.from('302a300506032b6570032100', 'hex')
const X_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex')
const X_SPKI = Buffer.from('302a300506032b656e032100', 'hex')

const P = (1n << 255n) - 19n
const D = (P - 121665n) * modpow(121666n, P - 2n, P) % P

function modpow (b, e, m) {
  let r = 1n
  b %= m
  while (e > 0n) {
    if (e & 1n) r = r * b % m
    b = b * b % m
    e >>= 1n
  }
  return r
}
const leToBig = (b) => BigInt('0x' + Buffer.from(b).reverse().toString('hex'))
const bigToLe = (n) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex').reverse()

export function hexSeed (s) {
  const t = String(s).trim()
  if (!/^[0-9a-fA-F]{64}$/.test(t)) throw new Error('a seed is 64 hex characters')
  return Buffer.from(t, 'hex')
}

/** Ed25519 key pair from a 32-byte seed. */
export function keyFromSeed (seed) {
  if (seed.length !== 32) throw new Error('seed must be 32 bytes')
  const priv = crypto.createPrivateKey({ key: Buffer.concat([ED_PKCS8, seed]), format: 'der', type: 'pkcs8' })
  const pk = crypto.createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(-32)
  return { seed: Buffer.from(seed), priv, pk: Buffer.from(pk), z32: z32.encode(pk) }
}

export const edSign = (key, msg) => crypto.sign(null, msg, key.priv)

/** True when sig is a valid Ed25519 signature of msg by the 32-byte pk. Never throws. */
export function edVerify (pk, msg, sig) {
  try {
    if (pk.length !== 32 || sig.length !== 64) return false
    const pub = crypto.createPublicKey({ key: Buffer.concat([ED_SPKI, pk]), format: 'der', type: 'spki' })
    return crypto.verify(null, msg, pub, sig)
  } catch { return false }
}

/** Is the 32-byte string the encoding of a point on the Edwards curve (not the identity)? */
export function edPointValid (pk) {
  if (pk.length !== 32) return false
  const y = leToBig(pk) & ((1n << 255n) - 1n)
  if (y >= P || y === 1n) return false
  const y2 = y * y % P
  const u = (y2 - 1n + P) % P
  const v = (D * y2 + 1n) % P
  const x2 = u * modpow(v, P - 2n, P) % P
  // x2 must be a square: Euler's criterion.
  return x2 === 0n ? (pk[31] & 0x80) === 0 : modpow(x2, (P - 1n) / 2n, P) === 1n
}

/** X25519 public key (Montgomery u) of an Ed25519 public key: u = (1 + y) / (1 - y). */
export function edPkToX25519 (pk) {
  if (!edPointValid(pk)) throw new Error('not a valid Ed25519 public key')
  const y = leToBig(pk) & ((1n << 255n) - 1n)
  const u = (1n + y) * modpow((1n - y + P) % P, P - 2n, P) % P
  return bigToLe(u)
}

/** X25519 scalar of an Ed25519 seed: clamp(SHA-512(seed)[0..32]). */
export function edSeedToX25519 (seed) {
  const h = crypto.createHash('sha512').update(seed).digest().subarray(0, 32)
  h[0] &= 248; h[31] &= 127; h[31] |= 64
  return Buffer.from(h)
}

/** X25519 public key of a 32-byte scalar (node:crypto; the scalar is clamped as X25519 does). */
export function x25519Public (scalar) {
  const priv = crypto.createPrivateKey({ key: Buffer.concat([X_PKCS8, scalar]), format: 'der', type: 'pkcs8' })
  return Buffer.from(crypto.createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(X_SPKI.length))
}

export const z32Encode = (b) => z32.encode(b)

/** Parse "<z32>" or "pk:<z32>" (52 lowercase chars) into 32 bytes; throws otherwise. */
export function parsePubkey (s) {
  const t = String(s).trim().replace(/^pk:/, '')
  if (!/^[ybndrfg8ejkmcpqxot1uwisza345h769]{52}$/.test(t)) throw new Error('not a z-base-32 public key: ' + s)
  const b = Buffer.from(z32.decode(t))
  if (b.length !== 32 || z32.encode(b) !== t) throw new Error('not a canonical 32-byte z-base-32 key: ' + s)
  return b
}

export const sha1 = (b) => crypto.createHash('sha1').update(b).digest()
