import {UsageError} from '../errors.js'
import {parseTimeDelay, timeAfter} from './time-delay.js'

/**
 * Modification times a node may have, as `find --mtime=` gives them: a node is left out when its time is at or
 * after `modifiedBefore`, or at or before `modifiedAfter` (MEGAcmd includeIfMatchesCriteria).
 */
export interface TimeConstraint {
  modifiedBefore: number
  modifiedAfter: number
}

/**
 * `find --mtime=` as MEGAcmd's getMinAndMaxTime reads it (megacmdutils.cpp): `+X` modified more than the
 * TIMEDELAY X ago, `-X` less than X ago, `+X-Y` / `-Y+X` between both; each bound counted back from `now` by the
 * calendar (getTimeStampBefore). As there, `+X` also leaves out nodes without a time (folders: 0) and `-X` nodes
 * modified in the current second. Anything else is "Invalid time <text>", exit 51.
 */
export function parseTimeConstraint(text: string, now: number = Math.floor(Date.now() / 1000)): TimeConstraint {
  const sign = text[0]
  if (sign !== '+' && sign !== '-') throw new UsageError(`Invalid time ${text}`)
  const other = sign === '+' ? '-' : '+'
  const at = text.indexOf(other)
  const before = (delay: string) => {
    try {
      return timeAfter(now, parseTimeDelay(delay), -1)
    } catch {
      throw new UsageError(`Invalid time ${text}`)
    }
  }
  const first = before(at < 0 ? text.slice(1) : text.slice(1, at))
  if (sign === '+') return {modifiedBefore: first, modifiedAfter: at < 0 ? 0 : before(text.slice(at + 1))}
  return {modifiedAfter: first, modifiedBefore: at < 0 ? now : before(text.slice(at + 1))}
}
