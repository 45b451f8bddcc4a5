import {formatTime, type TimeFormat} from './time-text.js'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const NAMED: Record<string, TimeFormat> = {rfc2822: 'RFC2822', iso6081: 'ISO6081', iso6081_with_time: 'ISO6081_WITH_TIME', short: 'SHORT'}

const pad = (n: number, width = 2, fill = '0') => String(n).padStart(width, fill)

function zoneOffset(d: Date): string {
  const offset = -d.getTimezoneOffset()
  return `${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`
}

function zoneName(d: Date): string {
  return new Intl.DateTimeFormat('en-US', {timeZoneName: 'short'}).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? ''
}

/** strftime in the C locale and local time, for the conversions a `--time-format` pattern is likely to use. */
export function strftime(pattern: string, unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  const startOfYear = new Date(d.getFullYear(), 0, 1)
  const conversions: Record<string, () => string> = {
    a: () => DAYS[d.getDay()].slice(0, 3),
    A: () => DAYS[d.getDay()],
    b: () => MONTHS[d.getMonth()].slice(0, 3),
    h: () => MONTHS[d.getMonth()].slice(0, 3),
    B: () => MONTHS[d.getMonth()],
    c: () => `${conversions.a()} ${conversions.b()} ${conversions.e()} ${conversions.T()} ${d.getFullYear()}`,
    C: () => pad(Math.floor(d.getFullYear() / 100)),
    d: () => pad(d.getDate()),
    D: () => `${conversions.m()}/${conversions.d()}/${conversions.y()}`,
    e: () => pad(d.getDate(), 2, ' '),
    F: () => `${d.getFullYear()}-${conversions.m()}-${conversions.d()}`,
    H: () => pad(d.getHours()),
    I: () => pad(d.getHours() % 12 || 12),
    j: () => pad(Math.floor((d.getTime() - startOfYear.getTime()) / 86_400_000) + 1, 3),
    m: () => pad(d.getMonth() + 1),
    M: () => pad(d.getMinutes()),
    n: () => '\n',
    p: () => (d.getHours() < 12 ? 'AM' : 'PM'),
    R: () => `${conversions.H()}:${conversions.M()}`,
    s: () => String(Math.floor(unixSeconds)),
    S: () => pad(d.getSeconds()),
    t: () => '\t',
    T: () => `${conversions.H()}:${conversions.M()}:${conversions.S()}`,
    u: () => String(d.getDay() || 7),
    w: () => String(d.getDay()),
    y: () => pad(d.getFullYear() % 100),
    Y: () => String(d.getFullYear()),
    z: () => zoneOffset(d),
    Z: () => zoneName(d),
    '%': () => '%',
  }
  return pattern.replace(/%(.)/g, (whole, c: string) => conversions[c]?.() ?? whole)
}

/**
 * A `--time-format=` value as MEGAcmd reads it (megacmdutils.cpp getTimeFormatFromSTR): RFC2822, ISO6081,
 * ISO6081_WITH_TIME, SHORT or SHORT_UTC in any case, otherwise the text itself as a strftime pattern.
 */
export function timeFormatter(option: string | undefined, fallback: TimeFormat = 'RFC2822'): (unixSeconds: number) => string {
  if (option === undefined) return (t) => formatTime(t, fallback)
  const lower = option.toLowerCase()
  if (NAMED[lower]) return (t) => formatTime(t, NAMED[lower])
  // SHORT_UTC is "%d%b%Y %T %z": despite its name, local time with the offset (megacmd-reference.md §4).
  if (lower === 'short_utc') return (t) => strftime('%d%b%Y %T %z', t)
  return (t) => strftime(option, t)
}
