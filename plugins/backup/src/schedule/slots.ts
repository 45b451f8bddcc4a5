import {CronExpressionParser} from 'cron-parser'
import {nextSlot, type Period} from './period.js'

/** The slots that have come, and the one to wait for. */
export interface DueSlots {
  /** At most `keep` of the slots in [from, now], the newest ones, oldest first. */
  recent: number[]
  /** The first slot after now. */
  following: number
}

/**
 * The slots of a period from `from` (a slot, unix ms) up to `now`. Only the newest `keep` are returned: after a long
 * downtime a one-second period has missed millions, and every one of them but the newest few would be recorded only
 * to be deleted at once by retention. A delay is arithmetic; a cron expression is walked back from now.
 */
export function dueSlots(period: Period, from: number, now: number, keep: number): DueSlots {
  if (from > now) return {recent: [], following: from}
  if (period.kind === 'delay') {
    const step = period.seconds * 1000
    const last = Math.floor((now - from) / step)
    const recent: number[] = []
    for (let i = Math.max(0, last - keep + 1); i <= last; i++) recent.push(from + i * step)
    return {recent, following: from + (last + 1) * step}
  }
  const recent: number[] = []
  const back = CronExpressionParser.parse(period.expression, {tz: 'UTC', currentDate: new Date(now + 1)})
  while (recent.length < keep) {
    const slot = back.prev().getTime()
    if (slot < from) break
    recent.unshift(slot)
  }
  // `from` is a slot itself (the first run of a backup is at its creation, which need not be one of the expression's).
  if (recent.length < keep && !recent.includes(from)) recent.unshift(from)
  return {recent, following: nextSlot(period, now)}
}
