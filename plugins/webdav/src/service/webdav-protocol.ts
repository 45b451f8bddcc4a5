import {callService, type JsonValue} from '@mega-shell/core'

/**
 * What the webdav plugin's command sends to the background server's `webdav` service, and its answers: plain JSON over
 * the server's service calls (services.ts). The command resolves the remote path with the caller's cwd; the service
 * owns the HTTP server and the served locations.
 */
export const WEBDAV_SERVICE = 'webdav'

/** MEGAcmd's default port (megacmd-reference.md §7.5). */
export const DEFAULT_PORT = 4443

/**
 * How the HTTP server listens. MEGAcmd takes them from the first location served; to change them, stop serving
 * everything (`webdav -d --all`) and serve again.
 */
export interface ServerSettings {
  port: number
  /** Listen on every address, not only 127.0.0.1. */
  public: boolean
  /** HTTPS with these PEM files. */
  tls: {certificate: string; key: string} | null
}

/** A served folder or file. */
export interface ServedLocation {
  handle: string
  /** Its path when it was served (absolute), as MEGAcmd prints it. */
  path: string
  /** `http[s]://127.0.0.1:PORT/<handle>/<url-encoded name>`. */
  url: string
}

export interface ServeRequest {
  handle: string
  path: string
  settings: ServerSettings
}

export interface ServeReply {
  location: ServedLocation
  /** The server was running already with other settings: the location is served with those (MEGAcmd's rule). */
  settingsIgnored?: boolean
}

export interface ListReply {
  locations: ServedLocation[]
  settings: ServerSettings | null
}

export interface StopRequest {
  /** A served handle; all of them (and the HTTP server) without. */
  handle?: string
}

export interface StopReply {
  stopped: ServedLocation[]
}

export type WebdavMethod = 'serve' | 'list' | 'stop'

/** Calls the webdav service of the profile's background server (started if it is not running). */
export async function callWebdav<R>(root: string, method: WebdavMethod, params?: object): Promise<R> {
  return (await callService(WEBDAV_SERVICE, method, params as unknown as JsonValue, {root})) as unknown as R
}
