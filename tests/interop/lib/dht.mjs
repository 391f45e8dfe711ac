// SPDX-License-Identifier: MIT
// pkarr over the DHT with the raw KRPC client: resolve (newest valid SignedPacket under a
// key) and publish (lookup, then put to the closest token holders), with the outcome of
// every node. Shared by krpc-client.mjs, relay.mjs and cclink-compat.mjs.
import { KrpcClient } from './krpc.mjs'
import { sha1 } from './keys.mjs'
import { chooseNewest, parsePacket } from './pkarr.mjs'

export async function withClient (opts, fn) {
  const c = new KrpcClient(opts)
  await c.open()
  try { return await fn(c) } finally { c.close() }
}

/**
 * Resolve pk (32 bytes). Returns {best, highestSigned, valid, rejected, items, lookup stats,
 * closest}; best = {ts, dns, sig, from} or null.
 */
export async function resolve (client, pk, seeds, opts = {}) {
  const look = await client.lookup(sha1(pk), seeds, opts)
  const pick = chooseNewest(pk, look.items)
  return { ...pick, items: look.items, stats: look.stats, closest: look.closest }
}

/**
 * Publish a SignedPacket (Buffer). opts: cas (BigInt|number), noTarget.
 * Returns {stored, conflict, results, stats, existing} where stored counts OK replies plus
 * 302 replies from nodes that already held exactly this (seq, v) (bittorrent-dht refuses
 * an identical re-put with 302), and conflict is true when more than half of the replies
 * are 301/302 for other reasons.
 */
export async function publish (client, sp, seeds, opts = {}) {
  const p = parsePacket(sp)
  if (!p.sigOk) throw new Error('SignedPacket signature does not verify')
  const target = sha1(p.pk)
  const look = await client.lookup(target, seeds, opts)
  const holders = new Set(look.items
    .filter((it) => Buffer.isBuffer(it.k) && it.k.equals(p.pk) && Buffer.isBuffer(it.v) && it.v.equals(p.dns) &&
      (typeof it.seq === 'number' || typeof it.seq === 'bigint') && BigInt(it.seq) === p.ts)
    .map((it) => it.from))
  const item = { k: p.pk, seq: p.ts, sig: p.sig, v: p.dns, cas: opts.cas }
  const results = look.closest.length ? await client.put(look.closest, item, target, opts) : []
  // A 302 from a node that was not a holder at lookup time may come from a concurrent put of
  // the very same item (e.g. a client publishing on the DHT and through this relay at once):
  // ask that node again, and count it as a holder when it now serves exactly (seq, v).
  await Promise.all(results.map(async (r, i) => {
    if (!r.error || r.error[0] !== 302 || holders.has(r.node)) return
    const g = await client.query(look.closest[i], 'get', { target })
    const it = g.r
    if (it && Buffer.isBuffer(it.k) && it.k.equals(p.pk) && Buffer.isBuffer(it.v) && it.v.equals(p.dns) &&
      (typeof it.seq === 'number' || typeof it.seq === 'bigint') && BigInt(it.seq) === p.ts) holders.add(r.node)
  }))
  let stored = 0
  let refused = 0
  for (const r of results) {
    if (r.ok) stored++
    else if (r.error && r.error[0] === 302 && holders.has(r.node)) { stored++; r.alreadyHeld = true } else if (r.error && (r.error[0] === 301 || r.error[0] === 302)) refused++
  }
  const newer = chooseNewest(p.pk, look.items).best
  return {
    stored,
    conflict: results.length > 0 && refused > Math.floor(results.length / 2),
    newerSeen: newer && newer.ts > p.ts ? String(newer.ts) : null,
    results,
    stats: look.stats,
    closest: look.closest.length
  }
}
