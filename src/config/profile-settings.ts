import {join} from 'node:path'
import {isLogLevel, type LogLevel} from '../daemon/log-levels.js'
import type {JsonValue} from '../daemon/protocol.cjs'
import type {ProxySetting} from '../network/proxy.js'
import {JsonObjectFile} from './json-object-file.js'
import {ensurePrivateDir, megaHome} from './paths.js'

/** The two directions of a transfer. */
export type TransferDirection = 'upload' | 'download'

/** The profile's settings file: what MEGAcmd keeps in ~/.megaCmd/megacmd.cfg (ConfigurationManager::savePropertyValue). */
export const PROFILE_SETTINGS_FILE = 'settings.json'

/** The levels of the background server's two logs: its own events (MEGAcmd's "MEGAcmd log") and the API's ("SDK log"). */
export interface LogLevels {
  cmd: LogLevel
  sdk: LogLevel
}

/**
 * The profile's own settings (`<home>/settings.json`), under MEGAcmd's property names: `https` (transfers over
 * HTTPS), `cmdLogLevel` and `sdkLogLevel` (MEGAcmd saves the same three); and the limits `speedlimit` sets (MEGAcmd
 * keeps them in megacmd.cfg too: `uploadSpeedLimit` and the like here). Not in the cache database, which is
 * rebuilt when damaged or after a logout: settings outlive both, as MEGAcmd's configuration file does.
 */
export class ProfileSettings {
  private readonly file: JsonObjectFile

  constructor(private readonly home: string = megaHome()) {
    this.file = new JsonObjectFile(join(home, PROFILE_SETTINGS_FILE))
  }

  /** Transfer URLs asked for with `ssl:2` (https). Off by default, as in MEGAcmd: the data is encrypted already. */
  get https(): boolean {
    return this.file.get<boolean>('https') === true
  }

  set https(on: boolean) {
    this.write('https', on)
  }

  /** `speedlimit`: bytes per second of one direction, 0 = unlimited (MEGAcmd's default). */
  speedLimit(direction: TransferDirection): number {
    const value = this.file.get(`${direction}SpeedLimit`)
    return typeof value === 'number' && value > 0 ? value : 0
  }

  setSpeedLimit(direction: TransferDirection, bytesPerSecond: number): void {
    this.write(`${direction}SpeedLimit`, bytesPerSecond)
  }

  /** `speedlimit --upload-connections|--download-connections`: connections per file; undefined = the engine's default. */
  maxConnections(direction: TransferDirection): number | undefined {
    const value = this.file.get(`${direction}Connections`)
    return typeof value === 'number' && value > 0 ? value : undefined
  }

  setMaxConnections(direction: TransferDirection, connections: number): void {
    this.write(`${direction}Connections`, connections)
  }

  /** `proxy`: what the API client and the transfer engine connect through (network/proxy.ts). */
  proxy(): ProxySetting | undefined {
    const value = this.file.get('proxy')
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as unknown as ProxySetting) : undefined
  }

  setProxy(setting: ProxySetting): void {
    ensurePrivateDir(this.home)
    this.file.set('proxy', setting as unknown as JsonValue)
  }

  /** The levels saved by `log`; absent ones take the server's defaults. */
  logLevels(): Partial<LogLevels> {
    const cmd = this.file.get('cmdLogLevel')
    const sdk = this.file.get('sdkLogLevel')
    return {...(isLogLevel(cmd) ? {cmd} : {}), ...(isLogLevel(sdk) ? {sdk} : {})}
  }

  saveLogLevels(levels: Partial<LogLevels>): void {
    if (levels.cmd) this.write('cmdLogLevel', levels.cmd)
    if (levels.sdk) this.write('sdkLogLevel', levels.sdk)
  }

  private write(key: string, value: boolean | string | number): void {
    ensurePrivateDir(this.home)
    this.file.set(key, value)
  }
}

/** How long a read of the settings serves the transfer engine and the API client before the file is read again. */
const FRESH_MS = 500
let recent: {home: string; settings: ProfileSettings; readAt: number} | undefined

/**
 * The profile's settings as the transfer engine and the API client read them for every request (https, the
 * speed limits, the connections, the proxy): read again at most every half second, so that a change made by
 * another process (`speedlimit`, `proxy` run while a transfer goes) reaches them within that time, while 10,000
 * small files do not cost 10,000 reads of the file each.
 */
export function currentProfileSettings(): ProfileSettings {
  const home = megaHome()
  const now = performance.now()
  if (!recent || recent.home !== home || now - recent.readAt >= FRESH_MS) recent = {home, settings: new ProfileSettings(home), readAt: now}
  return recent.settings
}
