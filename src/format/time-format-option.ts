import {formatTime, strftime, type TimeFormat} from './time-text.js'

const NAMED: Record<string, TimeFormat> = {rfc2822: 'RFC2822', iso6081: 'ISO6081', iso6081_with_time: 'ISO6081_WITH_TIME', short: 'SHORT'}

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
