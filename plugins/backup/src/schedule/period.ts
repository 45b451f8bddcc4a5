import {CronExpressionParser} from 'cron-parser'
import {parseTimeDelay, readablePeriod, timeAfter, UsageError} from '@mega-shell/core'

/**
 * When a backup runs: MEGAcmd's `--period` (megacmd-reference.md §7.3). A string with a space is a cron expression of
 * six fields, seconds first, evaluated in UTC (the SDK's ccronexpr); anything else is a TIMEDELAY (`1d`, `2h30M`)
 * turned into a fixed number of seconds as MEGAcmd does (`10 * getTimeStampAfter(0, speriod)`: the delay after the
 * epoch, so `1m` is 31 days), and shown back with getReadablePeriod.
 */
export type Period = {kind: 'cron'; expression: string} | {kind: 'delay'; seconds: number}

/** Parses `--period`; a malformed one is a usage error (51) that says why. */
export function parsePeriod(text: string): Period {
  const trimmed = text.trim()
  if (trimmed.includes(' ')) {
    const fields = trimmed.split(/\s+/)
    // ccronexpr (the SDK's parser) wants exactly six fields; cron-parser would also take five, minutes first.
    if (fields.length !== 6) throw new UsageError(`Invalid period "${text}": a cron expression has 6 fields (seconds minutes hours day-of-month month day-of-week), not ${fields.length}`)
    try {
      CronExpressionParser.parse(fields.join(' '), {tz: 'UTC'})
    } catch (error) {
      throw new UsageError(`Invalid period "${text}": ${(error as Error).message}`)
    }
    return {kind: 'cron', expression: fields.join(' ')}
  }
  let seconds: number
  try {
    seconds = timeAfter(0, parseTimeDelay(trimmed))
  } catch {
    throw new UsageError(`Invalid period "${text}": expected a time delay such as 1d, 2h30M or 10s (units y m d h M s), or a quoted 6-field cron expression`)
  }
  if (seconds <= 0) throw new UsageError(`Invalid period "${text}": the period must be longer than 0 seconds`)
  return {kind: 'delay', seconds}
}

/** The first slot after `after` (unix ms): a delay counts from the previous slot, a cron expression from the time. */
export function nextSlot(period: Period, after: number): number {
  if (period.kind === 'delay') return after + period.seconds * 1000
  return CronExpressionParser.parse(period.expression, {tz: 'UTC', currentDate: new Date(after)}).next().getTime()
}

/** As MEGAcmd prints it: a delay readable (`2h30M`), a cron expression as given. */
export function periodText(period: Period): string {
  return period.kind === 'delay' ? readablePeriod(period.seconds) : period.expression
}
