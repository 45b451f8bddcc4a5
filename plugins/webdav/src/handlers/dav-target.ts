import type {IncomingMessage, ServerResponse} from 'node:http'
import type {v2 as webdav} from 'webdav-server'
import type {MegaFileSystem} from '../fs/mega-file-system.js'

/** A request the plugin answers itself, already routed to the served location it names. */
export interface DavTarget {
  req: IncomingMessage
  res: ServerResponse
  fs: MegaFileSystem
  /** The path within the location's file system (`/<name>/…`; see MegaFileSystem). */
  path: webdav.Path
  /** Where the file system is mounted: `/<handle>`. */
  mount: string
}

/** A path of the file system as an href: each name percent-encoded, so `#`, `?`, `%` and `+` survive (RFC 3986). */
export function hrefOf(mount: string, names: readonly string[], folder: boolean): string {
  const path = [mount, ...names.map((name) => encodeURIComponent(name))].join('/')
  return folder ? `${path}/` : path
}

/** An empty answer with a status. */
export function answer(res: ServerResponse, status: number, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, {'Content-Length': 0, ...headers})
  res.end()
}

/** HTTP dates (RFC 9110 §5.6.7). */
export function httpDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toUTCString()
}
