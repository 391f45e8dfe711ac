// SPDX-License-Identifier: MIT
// A raw KRPC client (BEP5 framing, BEP44 get/put) that behaves on the wire the way the C
// tool must: 4-byte transaction ids, "ro":1 on every query (BEP43), a 4-byte client
// version, `target` in every put, replies matched on the full transaction id AND the
// exact address they were sent to. It never answers queries. Replies are untrusted:
// every field is type- and length-checked before use.
import dgram from 'node:dgram'
import crypto from 'node:crypto'
import { bencode, bdecode } from './bencode.mjs'

export const K = 20

export function parseAddrList (s) {
  if (!s) return []
  return String(s).split(',').map((x) => x.trim()).filter(Boolean).map((a) => {
    const i = a.lastIndexOf(':')
    if (i < 0) throw new Error('address must be host:port: ' + a)
    const port = Number(a.slice(i + 1))
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('bad port in ' + a)
    return { host: a.slice(0, i), port }
  })
}

/** Compact IPv4 node info (26 bytes each); a length that is not a multiple of 26 is refused. */
export function decodeNodes (buf) {
  if (!Buffer.isBuffer(buf) || buf.length % 26 !== 0) return []
  const nodes = []
  for (let i = 0; i < buf.length; i += 26) {
    const port = buf.readUInt16BE(i + 24)
    if (port === 0) continue
    nodes.push({ id: Buffer.from(buf.subarray(i, i + 20)), host: `${buf[i + 20]}.${buf[i + 21]}.${buf[i + 22]}.${buf[i + 23]}`, port })
  }
  return nodes
}

const isBytes = (x, n) => Buffer.isBuffer(x) && (n === undefined || x.length === n)
const xorDistance = (a, b) => {
  const d = Buffer.alloc(20)
  for (let i = 0; i < 20; i++) d[i] = a[i] ^ b[i]
  return d
}

export class KrpcClient {
  /**
   * opts: timeout (ms per query, 2000), readOnly (send ro=1, true), tidLength (4),
   * version (4-byte client version or null), host to bind (127.0.0.1).
   */
  constructor (opts = {}) {
    this.timeout = opts.timeout ?? 2000
    this.readOnly = opts.readOnly ?? true
    this.tidLength = opts.tidLength ?? 4
    this.version = opts.version === undefined ? 'CI01' : opts.version
    this.bindHost = opts.host || '127.0.0.1'
    this.id = crypto.randomBytes(20)
    this.waiting = new Map()
    this.counter = crypto.randomBytes(4).readUInt32BE(0)
    this.stats = { sent: 0, replies: 0, errors: 0, timeouts: 0, unsolicited: 0 }
    this.sock = dgram.createSocket('udp4')
    this.sock.on('message', (msg, rinfo) => this._receive(msg, rinfo))
    this.sock.on('error', () => {})
  }

  open (port = 0) {
    return new Promise((resolve, reject) => {
      this.sock.once('error', reject)
      this.sock.bind(port, this.bindHost, () => { this.sock.removeListener('error', reject); resolve(this) })
    })
  }

  close () {
    for (const w of this.waiting.values()) { clearTimeout(w.timer); w.resolve({ timeout: true, closed: true }) }
    this.waiting.clear()
    try { this.sock.close() } catch {}
  }

  _newTid () {
    this.counter = (this.counter + 1) >>> 0
    const t = Buffer.alloc(this.tidLength)
    for (let i = 0; i < this.tidLength; i++) t[this.tidLength - 1 - i] = i < 4 ? (this.counter >>> (8 * i)) & 0xff : 0
    return t
  }

  _receive (msg, rinfo) {
    let m
    try { m = bdecode(msg) } catch { this.stats.unsolicited++; return }
    if (!m || typeof m !== 'object' || !isBytes(m.t)) { this.stats.unsolicited++; return }
    const key = `${rinfo.address}:${rinfo.port}/${m.t.toString('hex')}`
    const w = this.waiting.get(key)
    if (!w) { this.stats.unsolicited++; return }
    this.waiting.delete(key)
    clearTimeout(w.timer)
    const y = isBytes(m.y) ? m.y.toString('latin1') : ''
    if (y === 'r' && m.r && typeof m.r === 'object' && !Buffer.isBuffer(m.r) && !Array.isArray(m.r)) {
      this.stats.replies++
      w.resolve({ r: m.r, msg: m, rtt: Date.now() - w.sentAt })
    } else if (y === 'e') {
      this.stats.errors++
      const e = Array.isArray(m.e) ? m.e : []
      w.resolve({ error: [typeof e[0] === 'number' ? e[0] : 0, isBytes(e[1]) ? e[1].toString() : ''], msg: m })
    } else {
      this.stats.errors++
      w.resolve({ error: [0, 'malformed reply'], msg: m })
    }
  }

  /**
   * Send one query; resolves {r} | {error:[code,msg]} | {timeout:true}. Never rejects.
   * extra: top-level keys to add or override (e.g. {ro: undefined} or a custom t).
   */
  query (node, q, args, extra = {}) {
    const t = extra.t || this._newTid()
    const m = { t, y: 'q', q, a: { id: this.id, ...args } }
    if (this.readOnly) m.ro = 1
    if (this.version) m.v = Buffer.from(this.version)
    Object.assign(m, extra)
    const pkt = bencode(m)
    return new Promise((resolve) => {
      const key = `${node.host}:${node.port}/${Buffer.from(t).toString('hex')}`
      const timer = setTimeout(() => {
        this.waiting.delete(key)
        this.stats.timeouts++
        resolve({ timeout: true })
      }, this.timeout)
      this.waiting.set(key, { resolve, timer, sentAt: Date.now() })
      this.stats.sent++
      this.sock.send(pkt, node.port, node.host, (err) => {
        if (err && this.waiting.has(key)) {
          clearTimeout(timer); this.waiting.delete(key); resolve({ error: [0, 'send: ' + err.message] })
        }
      })
    })
  }

  /**
   * Iterative BEP44 `get` lookup for target. Queries the closest unvisited candidates
   * (alpha in flight) until the k closest known nodes have all answered or failed, or the
   * deadline passes. Returns {closest: [{id, host, port, token}] (responders with a token,
   * nearest first, at most k), items: [{k, seq, sig, v, from}], stats}.
   */
  async lookup (target, seeds, opts = {}) {
    const k = opts.k ?? K
    const alpha = opts.alpha ?? 8
    const deadline = Date.now() + (opts.deadline ?? 15000)
    const t0 = Date.now()
    const cands = new Map()
    const items = []
    const stats = { queried: 0, responded: 0, failed: 0, firstItemMs: null }
    const add = (n, viaSeed) => {
      const addr = `${n.host}:${n.port}`
      if (cands.has(addr)) return
      if (n.id && n.id.equals(this.id)) return
      cands.set(addr, { host: n.host, port: n.port, id: n.id || null, state: 'new', seed: !!viaSeed, dist: n.id ? xorDistance(n.id, target) : null })
    }
    for (const s of seeds) add(s, true)
    const order = (a, b) => {
      if (!a.dist || !b.dist) return (a.dist ? 1 : 0) - (b.dist ? 1 : 0) // unknown ids (seeds) first
      return Buffer.compare(a.dist, b.dist)
    }
    let inflight = 0
    await new Promise((resolve) => {
      let finished = false
      const finish = () => { if (!finished) { finished = true; resolve() } }
      const timer = setTimeout(finish, Math.max(0, deadline - Date.now()))
      const onReply = (c, res) => {
        inflight--
        if (res.timeout || res.error) { c.state = 'failed'; stats.failed++ } else {
          c.state = 'done'; stats.responded++
          const r = res.r
          if (isBytes(r.id, 20)) { c.id = r.id; c.dist = xorDistance(r.id, target) }
          if (isBytes(r.token) && r.token.length > 0) c.token = r.token
          for (const n of decodeNodes(r.nodes)) add(n)
          if (r.k !== undefined || r.v !== undefined) {
            items.push({ k: r.k, seq: r.seq, sig: r.sig, v: r.v, from: `${c.host}:${c.port}` })
            if (stats.firstItemMs === null) stats.firstItemMs = Date.now() - t0
            if (opts.onItem) opts.onItem(items[items.length - 1])
            if (r.nodes === undefined) { // bittorrent-dht leaves out `nodes` when it returns a value
              inflight++
              this.query(c, 'find_node', { target }).then((fr) => {
                inflight--
                if (fr.r) for (const n of decodeNodes(fr.r.nodes)) add(n)
                pump()
              })
            }
          }
        }
        pump()
      }
      const pump = () => {
        if (finished) return
        if (Date.now() >= deadline) { clearTimeout(timer); return finish() }
        const live = [...cands.values()].filter((c) => c.state !== 'failed').sort(order).slice(0, k)
        const todo = live.filter((c) => c.state === 'new')
        if (todo.length === 0 && inflight === 0) { clearTimeout(timer); return finish() }
        for (const c of todo) {
          if (inflight >= alpha) break
          c.state = 'pending'; inflight++; stats.queried++
          const a = { target }
          if (opts.seq !== undefined) a.seq = opts.seq
          this.query(c, 'get', a).then((res) => onReply(c, res))
        }
      }
      pump()
    })
    const closest = [...cands.values()].filter((c) => c.state === 'done' && c.token && c.id).sort(order).slice(0, k)
      .map((c) => ({ id: c.id, host: c.host, port: c.port, token: c.token }))
    stats.ms = Date.now() - t0
    stats.sent = this.stats.sent
    return { closest, items, stats }
  }

  /**
   * BEP44 put of a mutable item to each node (with that node's token).
   * item: {k, seq, sig, v, cas?}; opts.noTarget leaves `target` out (for strict-mode tests).
   * Resolves [{node, ok, error, timeout}].
   */
  put (nodes, item, target, opts = {}) {
    return Promise.all(nodes.map(async (n) => {
      const a = { token: n.token, k: item.k, seq: item.seq, sig: item.sig, v: item.v }
      if (!opts.noTarget) a.target = target
      if (item.cas !== undefined && item.cas !== null) a.cas = item.cas
      const res = await this.query(n, 'put', a)
      return { node: `${n.host}:${n.port}`, ok: !!res.r, error: res.error || null, timeout: !!res.timeout }
    }))
  }
}
