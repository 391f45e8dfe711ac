// SPDX-License-Identifier: MIT
// bencode for the harness's own KRPC client and for the testnet's packet filter.
// Decoding is strict (canonical integers, sorted unique dict keys are NOT required:
// we only read). Byte strings come back as Buffer, dict keys as latin1 strings,
// integers as Number when safe and BigInt otherwise.

export function bencode (value) {
  const out = []
  const put = (x) => {
    if (x instanceof Uint8Array) {
      out.push(Buffer.from(String(x.length) + ':'), Buffer.from(x.buffer, x.byteOffset, x.byteLength))
    } else if (typeof x === 'string') {
      put(Buffer.from(x, 'utf8'))
    } else if (typeof x === 'bigint' || typeof x === 'number') {
      if (typeof x === 'number' && !Number.isInteger(x)) throw new TypeError('bencode: not an integer: ' + x)
      out.push(Buffer.from('i' + x.toString() + 'e'))
    } else if (Array.isArray(x)) {
      out.push(Buffer.from('l'))
      for (const e of x) put(e)
      out.push(Buffer.from('e'))
    } else if (x !== null && typeof x === 'object') {
      out.push(Buffer.from('d'))
      const keys = Object.keys(x).filter((k) => x[k] !== undefined)
        .map((k) => [Buffer.from(k, 'latin1'), k])
        .sort((a, b) => Buffer.compare(a[0], b[0]))
      for (const [kb, k] of keys) { put(kb); put(x[k]) }
      out.push(Buffer.from('e'))
    } else {
      throw new TypeError('bencode: cannot encode ' + typeof x)
    }
  }
  put(value)
  return Buffer.concat(out)
}

const MAX_DEPTH = 32

export function bdecode (input) {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input)
  let pos = 0
  const fail = (why) => { throw new Error(`bdecode: ${why} at offset ${pos}`) }
  const digitsUntil = (stop) => {
    const end = buf.indexOf(stop, pos)
    if (end < 0) fail('unterminated number')
    const s = buf.toString('latin1', pos, end)
    pos = end + 1
    return s
  }
  const item = (depth) => {
    if (depth > MAX_DEPTH) fail('nesting too deep')
    if (pos >= buf.length) fail('truncated')
    const c = buf[pos]
    if (c === 0x69) { // i<int>e
      pos++
      const s = digitsUntil(0x65)
      if (!/^(0|-?[1-9][0-9]*)$/.test(s)) fail('bad integer ' + JSON.stringify(s))
      const n = BigInt(s)
      return (n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER)) ? Number(n) : n
    }
    if (c === 0x6c) { // l...e
      pos++
      const list = []
      while (pos < buf.length && buf[pos] !== 0x65) list.push(item(depth + 1))
      if (pos >= buf.length) fail('unterminated list')
      pos++
      return list
    }
    if (c === 0x64) { // d...e
      pos++
      const dict = Object.create(null)
      while (pos < buf.length && buf[pos] !== 0x65) {
        const k = item(depth + 1)
        if (!Buffer.isBuffer(k)) fail('dict key is not a string')
        dict[k.toString('latin1')] = item(depth + 1)
      }
      if (pos >= buf.length) fail('unterminated dict')
      pos++
      return dict
    }
    if (c >= 0x30 && c <= 0x39) { // <len>:<bytes>
      const s = digitsUntil(0x3a)
      if (!/^(0|[1-9][0-9]*)$/.test(s)) fail('bad string length')
      const n = Number(s)
      if (pos + n > buf.length) fail('string runs past the end')
      const b = Buffer.from(buf.subarray(pos, pos + n))
      pos += n
      return b
    }
    fail('unexpected byte 0x' + c.toString(16))
  }
  const v = item(0)
  if (pos !== buf.length) fail('trailing bytes')
  return v
}
