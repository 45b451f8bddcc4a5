import {UsageError} from '@mega-shell/core'

/** `--level=-1`: no access, which stops the share (MegaShare::ACCESS_UNKNOWN). */
export const STOP_SHARING = -1

const NAMES: Record<string, number> = {UNKNOWN: STOP_SHARING, READ: 0, READWRITE: 1, FULL: 2, OWNER: 3, UNEXPECTED: -9}

/**
 * `--level=` as MEGAcmd reads it (megacmdutils.cpp getShareLevelNum, then the range check of "share"): a level name
 * (READ, READWRITE, FULL, OWNER; UNKNOWN is -1, which stops sharing) or C's atoi() of the text, so "1x" is 1 and
 * "x" is 0 (read). Outside -1..3 it is refused (51). Level 3 (owner) passes here and is refused by the server.
 */
export function parseShareLevel(text: string): number {
  const level = NAMES[text] ?? atoi(text)
  if (level < STOP_SHARING || level > 3) throw new UsageError('Invalid level of access')
  return level
}

/** C's atoi(): leading blanks, an optional sign, the digits that follow; 0 when there are none. */
function atoi(text: string): number {
  const match = /^[\t\n\v\f\r ]*([+-]?\d+)/.exec(text)
  return match ? Number.parseInt(match[1], 10) : 0
}
