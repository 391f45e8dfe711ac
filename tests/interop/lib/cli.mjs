// SPDX-License-Identifier: MIT
// Tiny argv helper shared by the harness tools: --name value, --flag, repeated options.
export function parseArgs (argv, spec) {
  // spec: { flags: [...], options: [...], multi: [...] }; everything else is positional.
  const flags = new Set(spec.flags || [])
  const options = new Set(spec.options || [])
  const multi = new Set(spec.multi || [])
  const out = { _: [] }
  for (const m of multi) out[m] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') { out._.push(...argv.slice(i + 1)); break }
    if (!a.startsWith('--') || a === '-') { out._.push(a); continue }
    let name = a.slice(2)
    let inline
    const eq = name.indexOf('=')
    if (eq >= 0 && !flags.has(name)) { inline = name.slice(eq + 1); name = name.slice(0, eq) }
    if (flags.has(name)) { out[name] = true; continue }
    if (options.has(name) || multi.has(name)) {
      const v = inline !== undefined ? inline : argv[++i]
      if (v === undefined) throw new UsageError(`--${name} needs a value`)
      if (multi.has(name)) out[name].push(v); else out[name] = v
      continue
    }
    throw new UsageError(`unknown option --${name}`)
  }
  return out
}

export class UsageError extends Error {}

/** Run main(); usage errors exit 2, other errors exit 1 with the message on stderr. */
export async function runMain (main, usage) {
  try {
    const code = await main()
    process.exitCode = typeof code === 'number' ? code : 0
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n${usage}`)
      process.exitCode = 2
    } else {
      process.stderr.write(`error: ${e && e.message ? e.message : e}\n`)
      if (process.env.HARNESS_DEBUG) process.stderr.write(String(e && e.stack) + '\n')
      process.exitCode = e && e.exitCode ? e.exitCode : 1
    }
  }
}

export const num = (v, name, { min = -Infinity, max = Infinity, int = true } = {}) => {
  const n = Number(v)
  if (!Number.isFinite(n) || (int && !Number.isInteger(n)) || n < min || n > max) throw new UsageError(`bad value for ${name}: ${v}`)
  return n
}

/** One JSON line on stdout: BigInt -> number (decimal string when over 2^53), bytes -> hex. */
export function printJson (o) {
  process.stdout.write(JSON.stringify(o, (k, v) => typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= 0n ? Number(v) : v.toString())
    : (v && v.type === 'Buffer' && Array.isArray(v.data)) ? Buffer.from(v.data).toString('hex') : v) + '\n')
}
