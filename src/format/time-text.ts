const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

const pad = (n: number) => String(n).padStart(2, '0')

/** MEGAcmd's time formats (megacmdutils.cpp getFormatStrFromId), in local time like strftime. */
export type TimeFormat = 'SHORT' | 'RFC2822' | 'ISO6081' | 'ISO6081_WITH_TIME'

export function formatTime(unixSeconds: number, format: TimeFormat = 'SHORT'): string {
  const d = new Date(unixSeconds * 1000)
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  switch (format) {
    case 'SHORT': // %d%b%Y %T
      return `${pad(d.getDate())}${MONTHS[d.getMonth()]}${d.getFullYear()} ${time}`
    case 'ISO6081': // %F
      return date
    case 'ISO6081_WITH_TIME': // %FT%T
      return `${date}T${time}`
    case 'RFC2822': { // %a, %d %b %Y %T %z
      const offset = -d.getTimezoneOffset()
      const zone = `${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`
      return `${DAYS[d.getDay()]}, ${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${time} ${zone}`
    }
  }
}

/** strftime "%c" in the C locale, e.g. "Thu Jan  1 00:00:00 1970" (MEGAcmd str_localtime, used by `whoami -l`). */
export function formatCTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2)} ${time} ${d.getFullYear()}`
}
