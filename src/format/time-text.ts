/** MEGAcmd's time formats (megacmdutils.cpp getFormatStrFromId), in local time like strftime. */
export type TimeFormat = 'SHORT' | 'RFC2822' | 'ISO6081' | 'ISO6081_WITH_TIME'

const PATTERNS: Record<TimeFormat, string> = {
  SHORT: '%d%b%Y %T',
  RFC2822: '%a, %d %b %Y %T %z',
  ISO6081: '%F',
  ISO6081_WITH_TIME: '%FT%T',
}

export function formatTime(unixSeconds: number, format: TimeFormat = 'SHORT'): string {
  return strftime(PATTERNS[format], unixSeconds)
}

/** strftime "%c" in the C locale, e.g. "Thu Jan  1 00:00:00 1970" (MEGAcmd str_localtime, used by `whoami -l`). */
export function formatCTime(unixSeconds: number): string {
  return strftime('%c', unixSeconds)
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

const pad = (n: number, width = 2, fill = '0') => String(n).padStart(width, fill)

function zoneOffset(d: Date): string {
  const offset = -d.getTimezoneOffset()
  return `${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`
}

function zoneName(d: Date): string {
  return new Intl.DateTimeFormat('en-US', {timeZoneName: 'short'}).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? ''
}

type Conversion = (d: Date, unixSeconds: number) => string

const hms = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
const ymd = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`

// One table for the whole process: strftime runs once per listed node in `ls -l`, so nothing is built per call.
const CONVERSIONS: Record<string, Conversion> = {
  a: (d) => DAYS[d.getDay()].slice(0, 3),
  A: (d) => DAYS[d.getDay()],
  b: (d) => MONTHS[d.getMonth()].slice(0, 3),
  h: (d) => MONTHS[d.getMonth()].slice(0, 3),
  B: (d) => MONTHS[d.getMonth()],
  c: (d) => `${DAYS[d.getDay()].slice(0, 3)} ${MONTHS[d.getMonth()].slice(0, 3)} ${pad(d.getDate(), 2, ' ')} ${hms(d)} ${d.getFullYear()}`,
  C: (d) => pad(Math.floor(d.getFullYear() / 100)),
  d: (d) => pad(d.getDate()),
  D: (d) => `${pad(d.getMonth() + 1)}/${pad(d.getDate())}/${pad(d.getFullYear() % 100)}`,
  e: (d) => pad(d.getDate(), 2, ' '),
  F: ymd,
  H: (d) => pad(d.getHours()),
  I: (d) => pad(d.getHours() % 12 || 12),
  j: (d) => pad(Math.floor((d.getTime() - new Date(d.getFullYear(), 0, 1).getTime()) / 86_400_000) + 1, 3),
  m: (d) => pad(d.getMonth() + 1),
  M: (d) => pad(d.getMinutes()),
  n: () => '\n',
  p: (d) => (d.getHours() < 12 ? 'AM' : 'PM'),
  R: (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  s: (_d, unixSeconds) => String(Math.floor(unixSeconds)),
  S: (d) => pad(d.getSeconds()),
  t: () => '\t',
  T: hms,
  u: (d) => String(d.getDay() || 7),
  w: (d) => String(d.getDay()),
  y: (d) => pad(d.getFullYear() % 100),
  Y: (d) => String(d.getFullYear()),
  z: zoneOffset,
  Z: zoneName,
  '%': () => '%',
}

/** A pattern split once into literal text and conversions (a process formats with one or two patterns). */
const compiled = new Map<string, Array<string | Conversion>>()

function compile(pattern: string): Array<string | Conversion> {
  let parts = compiled.get(pattern)
  if (!parts) {
    parts = pattern.split(/(%.)/).filter(Boolean).map((piece) => (piece[0] === '%' && CONVERSIONS[piece[1]]) || piece)
    compiled.set(pattern, parts)
  }
  return parts
}

/** strftime in the C locale and local time, for the conversions a `--time-format` pattern is likely to use. */
export function strftime(pattern: string, unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  let text = ''
  for (const part of compile(pattern)) text += typeof part === 'string' ? part : part(d, unixSeconds)
  return text
}
