/**
 * How the server process tells `local-server:start` whether it started, over the IPC channel the launcher
 * opens (control/launcher.ts). A message instead of the launcher reading server.log: the log is shared by
 * every start on the folder, so concurrent starts could not tell whose line is whose.
 */
export type StartupReport =
  | {type: 'listening'; pid: number; port: number; url: string}
  | {type: 'failed'; message: string; exitCode: number}

/** The line the server prints once it accepts connections. */
export const LISTENING_LINE = /Local MEGA server listening on (http:\/\/\S+)/

export function listeningLine(url: string): string {
  return `Local MEGA server listening on ${url}`
}

/** Sends the report when a launcher is listening (no channel otherwise), lets the channel go, then `done`. */
export function sendStartupReport(report: StartupReport, done: () => void = () => undefined): void {
  if (!process.send || !process.connected) return done()
  process.send(report, () => {
    if (process.connected) process.disconnect()
    done()
  })
}

export function isStartupReport(value: unknown): value is StartupReport {
  if (typeof value !== 'object' || value === null) return false
  const report = value as Record<string, unknown>
  if (report.type === 'listening') return typeof report.pid === 'number' && typeof report.port === 'number' && typeof report.url === 'string'
  return report.type === 'failed' && typeof report.message === 'string' && typeof report.exitCode === 'number'
}
