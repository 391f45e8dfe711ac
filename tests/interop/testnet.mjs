#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// A loopback BitTorrent DHT of N npm bittorrent-dht nodes with BEP44 storage, for tests and
// benchmarks. Binds 127.0.0.1 only. See README.md §testnet for every option.
//
// Stdout (one line each, in this order, then nothing else):
//   SILENT 127.0.0.1:p,...   (with --silent N)       nodes that went dead after bootstrap
//   GARBAGE 127.0.0.1:p,...  (with --garbage N)       answer garbage, type-confused or self-pointing replies
//   STALE 127.0.0.1:p        (with --stale-node)      keeps serving the first item it stored
//   FORGED 127.0.0.1:p       (with --forged-node)     serves forged items for every target
//   READY 127.0.0.1:p0,...   every live node, node 0 first (use it as the bootstrap list)
// Stderr: one line per dropped/faulted event ("strict-drop", "stale", "forged", ...), and on
// SIGUSR1 "testnet: COUNT queries=N get=N put=N ..." (queries received since READY).
import fs from 'node:fs'
import crypto from 'node:crypto'
import DHT from 'bittorrent-dht'
import { bdecode } from './lib/bencode.mjs'
import { parseArgs, runMain, num, UsageError } from './lib/cli.mjs'
import { edSign, edVerify, keyFromSeed, parsePubkey, sha1, z32Encode } from './lib/keys.mjs'
import { encodeDns, txtRecords, signable, nowMicros } from './lib/pkarr.mjs'

const USAGE = `usage: testnet.mjs [--nodes N] [--base-port P] [--mainline-strict] [--no-bep43]
       [--delay MS|LO-HI] [--jitter MS] [--loss P] [--rng-seed N]
       [--silent N] [--garbage N] [--pad-nodes N] [--stale-node] [--forged-node] [--forged-key Z32]... [--expire S]
       [--pidfile F] [--state F] [--parent-pid PID] [--max-lifetime S] [--verbose]
`
const HOST = '127.0.0.1'

const toBuf = (x) => Buffer.isBuffer(x) ? x : Buffer.from(x.buffer, x.byteOffset, x.byteLength)
const bytesLen = (x) => (x instanceof Uint8Array) ? x.length : -1
const say = (line) => process.stdout.write(line + '\n')
let verbose = false
const log = (line) => process.stderr.write(`testnet: ${line}\n`)
const vlog = (line) => { if (verbose) log(line) }

// Deterministic PRNG (mulberry32) for delays and loss, so benchmark runs can be repeated.
function prng (seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// BEP44 signature check for every node. bittorrent-dht@11 hands us Uint8Array (bencode v4):
// convert, and never throw (a throwing verify would make the node drop every put).
const verify = (sig, msg, pk) => edVerify(toBuf(pk), toBuf(msg), toBuf(sig))

function listen (dht, port) {
  return new Promise((resolve, reject) => {
    dht.once('error', reject)
    dht.listen(port, HOST, () => { dht.removeListener('error', reject); resolve() })
  })
}
const whenReady = (dht) => new Promise((resolve) => dht.ready ? resolve() : dht.once('ready', resolve))
const addrOf = (dht) => `${HOST}:${dht.address().port}`

/** Why Rust mainline >= 6 would fail to decode this query, or null. */
function strictViolation (m) {
  if (bytesLen(m.t) !== 4) return `t is ${bytesLen(m.t)} bytes (mainline >= 6 needs 4)`
  if (m.v !== undefined && bytesLen(m.v) !== 4) return 'client version v is not 4 bytes'
  if (!m.a || typeof m.a !== 'object' || bytesLen(m.a.id) !== 20) return 'a.id is not 20 bytes'
  const q = Buffer.isBuffer(m.q) ? m.q.toString('latin1') : ''
  if (q === 'put') {
    if (bytesLen(m.a.target) !== 20) return 'put without a 20-byte target'
    if (m.a.k !== undefined && (m.a.seq === undefined || m.a.sig === undefined)) return 'put with k but no seq/sig'
  }
  return null
}

async function main () {
  const o = parseArgs(process.argv.slice(2), {
    flags: ['mainline-strict', 'no-bep43', 'stale-node', 'forged-node', 'verbose', 'help'],
    options: ['nodes', 'base-port', 'delay', 'jitter', 'loss', 'rng-seed', 'silent', 'garbage', 'pad-nodes', 'pidfile', 'state', 'parent-pid', 'max-lifetime', 'expire'],
    multi: ['forged-key']
  })
  if (o.help) { process.stdout.write(USAGE); return 0 }
  verbose = !!o.verbose
  const n = num(o.nodes ?? 8, '--nodes', { min: 1, max: 2000 })
  const basePort = num(o['base-port'] ?? 0, '--base-port', { min: 0, max: 65535 })
  const silentCount = num(o.silent ?? 0, '--silent', { min: 0 })
  const garbageCount = num(o.garbage ?? 0, '--garbage', { min: 0 })
  const padNodes = num(o['pad-nodes'] ?? 0, '--pad-nodes', { min: 0, max: 2400 })
  const loss = num(o.loss ?? 0, '--loss', { min: 0, max: 1, int: false })
  const jitter = num(o.jitter ?? 0, '--jitter', { min: 0 })
  let delayLo = 0; let delayHi = 0
  if (o.delay !== undefined) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(o.delay)
    if (!m) throw new UsageError('--delay takes MS or LO-HI')
    delayLo = Number(m[1]); delayHi = m[2] !== undefined ? Number(m[2]) : delayLo
    if (delayHi < delayLo) throw new UsageError('--delay LO-HI needs LO <= HI')
  }
  // --expire S: nodes forget a stored BEP44 item S seconds after it was last stored (BEP44 lets
  // nodes expire items; mainline/libtorrent nodes drop them after about 2 hours).
  const expireMs = o.expire !== undefined ? num(o.expire, '--expire', { min: 1 }) * 1000 : 0
  const seed = o['rng-seed'] !== undefined ? num(o['rng-seed'], '--rng-seed', { min: 0 }) : crypto.randomBytes(4).readUInt32BE(0)
  const rand = prng(seed)
  const forgedKeys = o['forged-key'].map(parsePubkey)
  const wantForged = o['forged-node'] || forgedKeys.length > 0
  const faultNodes = (o['stale-node'] ? 1 : 0) + (wantForged ? 1 : 0)
  if (n < 1 + faultNodes + silentCount + garbageCount) throw new UsageError(`--nodes ${n} is too small for node 0 + ${faultNodes} fault node(s) + ${silentCount} silent + ${garbageCount} garbage`)

  // Roles: node 0 is always an honest bootstrap node; fault nodes follow it; silent nodes last.
  // Garbage nodes are spread over the net (every k-th node) so some are among anyone's closest.
  const roles = Array.from({ length: n }, () => ({ silent: false, stale: false, forged: false, garbage: -1 }))
  let next = 1
  if (o['stale-node']) roles[next++].stale = true
  if (wantForged) roles[next++].forged = true
  for (let i = n - silentCount; i < n; i++) roles[i].silent = true
  const free = roles.map((r, i) => i).filter((i) => i >= next && !roles[i].silent)
  for (let j = 0; j < garbageCount; j++) roles[free[Math.floor(j * free.length / garbageCount)]].garbage = j % 3

  const common = { host: HOST, verify }
  const nodes = []
  const first = new DHT({ ...common, bootstrap: false })
  await listen(first, basePort)
  nodes.push(first)
  const boot0 = addrOf(first)
  for (let i = 1; i < n; i++) {
    const boot = [boot0]
    if (i > 1) boot.push(addrOf(nodes[1 + Math.floor(rand() * (i - 1))]))
    const d = new DHT({ ...common, bootstrap: boot })
    await listen(d, basePort ? basePort + i : 0)
    nodes.push(d)
  }
  await Promise.all(nodes.map(whenReady))
  // A second find_node(self) round so early nodes learn about later ones.
  await Promise.all(nodes.map((d) => new Promise((resolve) =>
    d._rpc.populate(d._rpc.id, { q: 'find_node', a: { id: d._rpc.id, target: d._rpc.id } }, () => resolve()))))

  // From here on, faults and shaping are live (the network was built without them).
  const state = { live: false, queries: 0, byMethod: {}, ports: new Set(nodes.map((d) => d.address().port)) }
  const attacker = keyFromSeed(crypto.randomBytes(32))
  if (expireMs) for (const d of nodes) d._values.maxAge = expireMs
  nodes.forEach((d, i) => install(d, i, roles[i], {
    expireMs, state, strict: !!o['mainline-strict'], bep43: !o['no-bep43'], rand, loss, jitter, padNodes,
    delay: delayLo + Math.floor(rand() * (delayHi - delayLo + 1)), forgedKeys, attacker
  }))
  state.live = true

  const list = (pred) => nodes.filter((_, i) => pred(roles[i])).map(addrOf)
  const info = {
    pid: process.pid,
    rngSeed: seed,
    started: new Date().toISOString(),
    bootstrap: list((r) => !r.silent),
    silent: list((r) => r.silent),
    garbage: list((r) => r.garbage >= 0),
    stale: list((r) => r.stale),
    forged: list((r) => r.forged),
    nodes: nodes.map((d, i) => ({ index: i, addr: addrOf(d), id: toBuf(d.nodeId).toString('hex'), ...roles[i], table: d.nodes.count() }))
  }
  if (o.pidfile) fs.writeFileSync(o.pidfile, `${process.pid}\n`)
  if (o.state) fs.writeFileSync(o.state, JSON.stringify(info, null, 1) + '\n')
  if (info.silent.length) say('SILENT ' + info.silent.join(','))
  if (info.garbage.length) say('GARBAGE ' + info.garbage.join(','))
  if (info.stale.length) say('STALE ' + info.stale.join(','))
  if (info.forged.length) say('FORGED ' + info.forged.join(','))
  say('READY ' + info.bootstrap.join(','))
  log(`${n} nodes up (rng-seed ${seed}, tables ${Math.min(...info.nodes.map((x) => x.table))}..${Math.max(...info.nodes.map((x) => x.table))})`)

  let stopping = false
  const stop = (why) => {
    if (stopping) return
    stopping = true
    vlog('stopping: ' + why)
    if (o.pidfile) fs.rmSync(o.pidfile, { force: true })
    let left = nodes.length
    const done = () => { if (--left <= 0) process.exit(0) }
    for (const d of nodes) { try { d.destroy(done) } catch { done() } }
    setTimeout(() => process.exit(0), 1000).unref()
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGHUP', () => stop('SIGHUP'))
  // Query counters for benchmarks: every query any node received since READY.
  process.on('SIGUSR1', () => log(`COUNT queries=${state.queries} ${Object.entries(state.byMethod).map(([k, v]) => k + '=' + v).join(' ')}`))
  if (o['parent-pid']) {
    const ppid = num(o['parent-pid'], '--parent-pid', { min: 1 })
    setInterval(() => { try { process.kill(ppid, 0) } catch { stop('parent gone') } }, 500)
  }
  if (o['max-lifetime']) setTimeout(() => stop('max lifetime'), num(o['max-lifetime'], '--max-lifetime', { min: 1 }) * 1000)
  return new Promise(() => {}) // run until stopped
}

/** Wire one node's fault role, strictness, BEP43 and reply shaping. */
function install (dht, index, role, cfg) {
  const ksock = dht._rpc.socket // k-rpc-socket
  const raw = ksock.socket // dgram socket

  // Inbound: a filter in front of the library's own datagram handler.
  const handlers = raw.listeners('message')
  raw.removeAllListeners('message')
  raw.on('message', (buf, rinfo) => {
    let m = null
    try { m = bdecode(buf) } catch {}
    const isQuery = m && Buffer.isBuffer(m.y) && m.y.toString('latin1') === 'q'
    // Queries to silent nodes count too: a client's cost includes asking the dead.
    if (isQuery && cfg.state.live) {
      const q = Buffer.isBuffer(m.q) ? m.q.toString('latin1') : '?'
      cfg.state.queries++
      cfg.state.byMethod[q] = (cfg.state.byMethod[q] || 0) + 1
    }
    if (cfg.state.live && role.silent) return
    if (isQuery && cfg.state.live && cfg.strict) {
      const why = strictViolation(m)
      if (why) {
        log(`strict-drop node=${index} from=${rinfo.address}:${rinfo.port} q=${Buffer.isBuffer(m.q) ? m.q.toString('latin1') : '?'} reason=${why}`)
        return
      }
    }
    // With --expire, storing the identical item again (same seq and v) renews it, as on
    // mainline and libtorrent (bittorrent-dht itself answers 302 and would not renew it).
    if (isQuery && cfg.expireMs && cfg.state.live && Buffer.isBuffer(m.q) && m.q.toString('latin1') === 'put' &&
        m.a && bytesLen(m.a.k) === 32 && bytesLen(m.a.v) >= 0 && m.a.salt === undefined) {
      const hex = sha1(toBuf(m.a.k)).toString('hex')
      const el = dht._values.cache[hex]
      if (el && Date.now() - el.modified <= cfg.expireMs && el.value && Number(el.value.seq) === Number(m.a.seq) && el.value.v && Buffer.compare(toBuf(el.value.v), toBuf(m.a.v)) === 0) {
        el.modified = Date.now()
        vlog(`renew node=${index} target=${hex} seq=${m.a.seq}`)
      }
    }
    for (const h of handlers) h.call(raw, buf, rinfo)
    // BEP43: a read-only querier must not stay in the routing table (bittorrent-dht adds it).
    if (isQuery && cfg.bep43 && m.ro === 1 && m.a && Buffer.isBuffer(m.a.id) && m.a.id.length === 20) {
      dht._rpc.nodes.remove(m.a.id)
    }
  })

  // Outbound: silent nodes send nothing; replies get the injected delay and loss.
  const send = ksock.send.bind(ksock)
  ksock.send = (peer, message, cb) => {
    if (!cfg.state.live) return send(peer, message, cb)
    if (role.silent) return
    const y = message && (typeof message.y === 'string' ? message.y : message.y ? toBuf(message.y).toString('latin1') : '')
    let out = () => send(peer, message, cb)
    if (y === 'r' && message.r && cfg.padNodes > 0 && message.r.nodes) {
      // Long node lists (3-10 KB replies): far-away entries on a port nothing listens on.
      const have = toBuf(message.r.nodes)
      const pad = []
      for (let k = have.length / 26; k < cfg.padNodes; k++) {
        const e = Buffer.alloc(26)
        crypto.randomFillSync(e, 0, 20)
        Buffer.from([127, 0, 0, 1, 0, 9]).copy(e, 20)
        pad.push(e)
      }
      message.r.nodes = Buffer.concat([...pad, have])
    }
    // Garbage only for clients: bittorrent-dht itself crashes on a type-confused reply.
    if ((y === 'r' || y === 'e') && role.garbage >= 0 && !cfg.state.ports.has(peer.port)) {
      const host = peer.address || peer.host
      const t = toBuf(message.t)
      const tstr = Buffer.concat([Buffer.from(`1:t${t.length}:`), t])
      if (role.garbage === 0) {
        out = () => raw.send(Buffer.from('this is not a KRPC message'), peer.port, host)
      } else if (role.garbage === 1) {
        // Every field of the wrong type: an integer id, nodes and token, a list for v.
        out = () => raw.send(Buffer.concat([Buffer.from('d1:rd2:idi1e5:nodesi2e5:tokeni3e1:vli4eee'), tstr, Buffer.from('1:y1:re')]), peer.port, host)
      } else if (message.r) {
        // Self-pointing: the only nodes it names are itself and the querier.
        const me = Buffer.alloc(26)
        toBuf(dht._rpc.id).copy(me, 0)
        Buffer.from([127, 0, 0, 1]).copy(me, 20)
        me.writeUInt16BE(dht.address().port, 24)
        const you = Buffer.alloc(26)
        crypto.randomFillSync(you, 0, 20)
        Buffer.from(host.split('.').map(Number)).copy(you, 20)
        you.writeUInt16BE(peer.port, 24)
        message.r.nodes = Buffer.concat([me, you])
        delete message.r.v; delete message.r.k; delete message.r.sig; delete message.r.seq
      }
    }
    if (y === 'r' || y === 'e') {
      if (cfg.loss > 0 && cfg.rand() < cfg.loss) { vlog(`loss node=${index} to=${peer.address || peer.host}:${peer.port}`); return }
      const wait = cfg.delay + (cfg.jitter > 0 ? Math.floor(cfg.rand() * cfg.jitter) : 0)
      if (wait > 0) { setTimeout(out, wait); return }
    }
    return out()
  }

  if (verbose) {
    dht.on('put', (key, v) => vlog(`put node=${index} target=${toBuf(key).toString('hex')} v=${v.length}B`))
    dht.on('get', (target, value) => vlog(`get node=${index} target=${toBuf(target).toString('hex')} hit=${!!value}`))
  }

  if (role.stale) {
    // Accept every newer put (answering OK) but keep serving the first item stored.
    const values = dht._values
    const set = values.set.bind(values)
    values.set = (key, val) => {
      const old = values.get(key)
      if (cfg.state.live && old && old.k) {
        log(`stale node=${index} target=${key} keeps seq=${old.seq}, ignored seq=${val.seq}`)
        return
      }
      return set(key, val)
    }
  }

  if (role.forged) {
    const byTarget = new Map(cfg.forgedKeys.map((k) => [sha1(k).toString('hex'), k]))
    dht._onget = (query, peer) => {
      const target = query.a && query.a.target
      if (!target || target.length !== 20) return
      const hex = toBuf(target).toString('hex')
      const stored = dht._values.get(hex)
      const known = byTarget.get(hex) || (stored && stored.k ? toBuf(stored.k) : null)
      const base = nowMicros() + 3600n * 1000000n
      let item
      if (known) {
        // The right key, a newer seq, a plausible record, a signature that is not valid.
        const seq = stored && stored.seq !== undefined && BigInt(stored.seq) > base ? BigInt(stored.seq) + 1000000n : base
        const v = forgedDns(known)
        const sig = crypto.randomBytes(64)
        item = { k: known, seq: Number(seq), sig, v }
        log(`forged node=${index} target=${hex} bad-signature seq=${seq}`)
      } else {
        // Unknown key: a correctly signed item by another key (sha1(k) != target).
        const v = forgedDns(cfg.attacker.pk)
        item = { k: cfg.attacker.pk, seq: Number(base), sig: edSign(cfg.attacker, signable(base, v)), v }
        log(`forged node=${index} target=${hex} wrong-key`)
      }
      const r = { id: dht._rpc.id, token: dht._generateToken(peer.address || peer.host), ...item }
      dht._rpc.response(peer, query, r, dht._rpc.nodes.closest(target))
    }
  }
}

function forgedDns (pk) {
  const origin = z32Encode(pk)
  const rec = JSON.stringify({ blob: Buffer.from('forged by the testnet').toString('base64'), created_at: Math.floor(Date.now() / 1000), pubkey: origin, signature: Buffer.alloc(64).toString('base64'), ttl: 86400 })
  return encodeDns(origin, txtRecords(['_cclink=' + rec], 86400))
}

runMain(main, USAGE)
