import type {LogLevels} from '@mega-shell/core'
import {logLevelName} from '@mega-shell/core/daemon'

/**
 * MEGAcmd's report of the levels (MEGAcmd src/megacmdexecuter.cpp "log"): `MEGAcmd log level = DEBUG` for its own
 * log, `SDK log level = ERROR` for the SDK's. Ours name what they are: the server's events, and the API requests.
 */
export function logLevelLines(levels: LogLevels, which: {cmd: boolean; sdk: boolean}): string[] {
  return [
    ...(which.cmd ? [`mega-shell server log level = ${logLevelName(levels.cmd)}`] : []),
    ...(which.sdk ? [`API log level = ${logLevelName(levels.sdk)}`] : []),
  ]
}
