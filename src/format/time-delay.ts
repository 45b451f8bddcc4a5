import {UsageError} from '../errors.js'

/**
 * MEGAcmd's TIMEDELAY (export --expire, find --mtime, backup --period): `<int><unit>` runs with units
 * y years, m months, d days, h hours, M minutes, s seconds, e.g. `1m12d3h`, `10M` (megacmd-reference.md §4).
 */
export interface TimeDelay {
  years: number
  months: number
  days: number
  hours: number
  minutes: number
  seconds: number
}

const UNITS: Record<string, keyof TimeDelay> = {y: 'years', m: 'months', d: 'days', h: 'hours', M: 'minutes', s: 'seconds'}

/** Parses a TIMEDELAY; anything else (an unknown unit, a number without one, nothing at all) is a usage error (51). */
export function parseTimeDelay(text: string): TimeDelay {
  const delay: TimeDelay = {years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0}
  const pattern = /(\d+)([ymdhMs])/gy
  let matched = 0
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    delay[UNITS[match[2]]] += Number(match[1])
    matched = pattern.lastIndex
  }
  if (matched === 0 || matched !== text.length) throw new UsageError(`Invalid time delay: ${text} (expected e.g. 1d12h, 10M, 1y2m; units y m d h M s)`)
  return delay
}

/**
 * The moment `delay` after `from` (unix seconds), by the calendar in local time, as MEGAcmd's getTimeStampAfter
 * adds the fields to a `struct tm` and lets mktime normalise them: `1m` from 31 January is 3 March.
 */
export function timeAfter(from: number, delay: TimeDelay, sign: 1 | -1 = 1): number {
  const date = new Date(from * 1000)
  date.setFullYear(date.getFullYear() + sign * delay.years, date.getMonth() + sign * delay.months, date.getDate() + sign * delay.days)
  date.setHours(date.getHours() + sign * delay.hours, date.getMinutes() + sign * delay.minutes, date.getSeconds() + sign * delay.seconds)
  return Math.floor(date.getTime() / 1000)
}
