import {printable} from '@mega-shell/core'
import {type DaemonStatus, logLevelName} from '@mega-shell/core/daemon'

/** `1h 2m 3s`, `4m 5s`, `6s`. */
export function durationText(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return [h && `${h}h`, (h || m) && `${m}m`, `${s}s`].filter(Boolean).join(' ')
}

const FEED_TEXT: Record<DaemonStatus['feed']['state'], string> = {
  off: 'off (not logged in to an account)',
  'catching-up': 'catching up',
  live: 'live',
  retrying: 'retrying',
  'session-ended': 'stopped: the session was closed elsewhere',
}

/** What `server:status` prints: the server, its live feed, its running commands (names only), hosts and services. */
export function statusLines(status: DaemonStatus): string[] {
  const {feed} = status
  const running = status.hosts.filter((host) => host.command !== undefined)
  const idle = status.hosts.filter((host) => host.state === 'idle').length
  const lines = [
    `mega-shell server running (pid ${status.pid}, build ${status.build})`,
    `Socket: ${status.socket}`,
    `Up: ${durationText(status.uptimeSeconds)} (since ${status.startedAt})`,
    `Live feed: ${FEED_TEXT[feed.state]}${feed.account ? `, ${printable(feed.account)}` : ''}${feed.lastError ? ` (${printable(feed.lastError)})` : ''}`,
    `Commands running: ${running.length}`,
    ...running.map((host) => `  ${host.command} (pid ${host.pid}, ${durationText(host.runningSeconds ?? 0)})`),
    `Command hosts: ${status.hosts.length} (${idle} idle)`,
    `Services: ${status.services.length}`,
    ...status.services.map((service) => `  ${service.name}: ${printable(service.state)}${service.message ? ` (${printable(service.message)})` : ''}`),
    `Log: ${status.log.file} (server ${logLevelName(status.log.level)}, API ${logLevelName(status.log.sdkLevel)})`,
  ]
  return lines
}
