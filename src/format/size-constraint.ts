import {UsageError} from '../errors.js'

/** Sizes a node may have, as `find --size=` gives them (bounds included). */
export interface SizeConstraint {
  minSize?: number
  maxSize?: number
}

// Units of MEGAcmd's textToSize; T really is 2^50 there (megacmd-reference.md §10), kept so that scripts agree.
const UNITS: Record<string, number> = {b: 1, k: 1024, m: 1048576, g: 1073741824, t: 1125899906842624}

/**
 * MEGAcmd's size text (megacmdcommonutils.cpp textToSize): `<integer><unit>` runs summed, units B K M G T in any
 * case, binary multiples, e.g. `1m12k3B`. A number without a unit at the end, a decimal point or any other
 * character makes it invalid (undefined); the empty text is 0.
 */
export function parseSizeText(text: string): number | undefined {
  if (/[0-9.]$/.test(text)) return undefined
  let total = 0
  for (const [, digits, unit] of text.matchAll(/(\d*)(.)/gs)) {
    const multiplier = UNITS[unit.toLowerCase()]
    if (multiplier === undefined) return undefined
    total += Number(digits || 0) * multiplier
  }
  return total
}

/**
 * `find --size=` as MEGAcmd's getMinAndMaxSize reads it (megacmdutils.cpp): `+SIZE` at least SIZE, `-SIZE` at
 * most SIZE, `+A-B` / `-B+A` both. Anything else is MEGAcmd's "Invalid time <text>" (sic), exit 51.
 */
export function parseSizeConstraint(text: string): SizeConstraint {
  const invalid = () => new UsageError(`Invalid time ${text}`)
  const sign = text[0]
  if (sign !== '+' && sign !== '-') throw invalid()
  const other = sign === '+' ? '-' : '+'
  const at = text.indexOf(other)
  const first = parseSizeText(at < 0 ? text.slice(1) : text.slice(1, at))
  const second = at < 0 ? undefined : parseSizeText(text.slice(at + 1))
  if (first === undefined || (at >= 0 && second === undefined)) throw invalid()
  return sign === '+' ? {minSize: first, maxSize: second} : {maxSize: first, minSize: second}
}
