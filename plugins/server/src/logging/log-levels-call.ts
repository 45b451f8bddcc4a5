import {callService, type LogLevels, ProfileSettings, ServerNotRunningError} from '@mega-shell/core'
import {DEFAULT_LOG_LEVELS} from '@mega-shell/core/daemon'

/**
 * Reads, or sets and reads, the levels of the background server's log (`log`, `debug`): the running server applies
 * them at once and saves them in the profile; with no server running they are only saved, for the next one (a
 * `log` does not start a server just to set its level).
 */
export async function serverLogLevels(change: Partial<LogLevels> = {}): Promise<LogLevels> {
  try {
    return (await callService('server', 'log-levels', change)) as unknown as LogLevels
  } catch (error) {
    if (!(error instanceof ServerNotRunningError)) throw error
    const settings = new ProfileSettings()
    settings.saveLogLevels(change)
    return {...DEFAULT_LOG_LEVELS, ...settings.logLevels()}
  }
}
