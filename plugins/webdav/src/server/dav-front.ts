import {create as createDomain} from 'node:domain'
import {readFileSync} from 'node:fs'
import {createServer as createHttp, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttps} from 'node:https'
import {createSecureContext} from 'node:tls'
import {CommandError, ExitCode, type MegaContext} from '@mega-shell/core'
import {v2 as webdav} from 'webdav-server'
import {MegaFileSystem} from '../fs/mega-file-system.js'
import {ServedTree} from '../fs/served-tree.js'
import {answer, type DavTarget} from '../handlers/dav-target.js'
import {handleGet} from '../handlers/get.js'
import {handlePropfind} from '../handlers/propfind.js'
import {handleProppatch} from '../handlers/proppatch.js'
import {handlePut} from '../handlers/put.js'
import {MAX_XML_BODY} from '../handlers/xml-body.js'
import type {ServerSettings} from '../service/webdav-protocol.js'

/** The methods the plugin answers itself; webdav-server answers the others (OPTIONS, MKCOL, DELETE, MOVE, COPY, LOCK, UNLOCK). */
const OWN: Record<string, (target: DavTarget) => Promise<void>> = {GET: handleGet, HEAD: handleGet, PUT: handlePut, PROPFIND: handlePropfind, PROPPATCH: handleProppatch}

export interface DavFrontOptions {
  settings: ServerSettings
  mega: () => MegaContext | undefined
  /** Where PUT bodies wait to be uploaded. */
  spoolDir: string
  log: (line: string) => void
}

/**
 * The HTTP(S) server of the served locations: each is mounted at `/<handle>` as a file system of its own
 * (MegaFileSystem), and a request outside every location answers 404. Each request runs in a domain of its own: an
 * exception thrown anywhere in its handling, synchronously or from a callback of webdav-server, answers 500 (or closes
 * the connection when the answer has begun) and the background server goes on. A domain is the one mechanism Node has
 * that catches a throw from inside a library's callbacks for one request only.
 */
export class DavFront {
  private readonly dav = new webdav.WebDAVServer({requireAuthentification: false})
  private readonly mounts = new Map<string, MegaFileSystem>()

  private constructor(private readonly server: Server, private readonly options: DavFrontOptions) {}

  /** Listens on the settings' port: 54 when it is taken, 55 or 51 for a certificate and key that cannot be used. */
  static async start(options: DavFrontOptions): Promise<DavFront> {
    const {settings} = options
    let server: Server
    if (settings.tls) {
      const read = (file: string, what: string) => {
        try {
          return readFileSync(file)
        } catch (error) {
          throw new CommandError(`Cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, ExitCode.INVALIDTYPE)
        }
      }
      const tls = {cert: read(settings.tls.certificate, 'certificate'), key: read(settings.tls.key, 'key')}
      try {
        createSecureContext(tls)
      } catch (error) {
        throw new CommandError(`The certificate ${settings.tls.certificate} and the key ${settings.tls.key} cannot be used together: ${(error as Error).message}`, ExitCode.EARGS)
      }
      server = createHttps(tls)
    } else server = createHttp()
    const front = new DavFront(server, options)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => front.handle(req, res))
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') reject(new CommandError(`Failed to initialize WEBDAV server: port ${settings.port} is in use`, ExitCode.INVALIDSTATE))
        else if (error.code === 'EACCES') reject(new CommandError(`Failed to initialize WEBDAV server: port ${settings.port} needs privileges`, ExitCode.NOTPERMITTED))
        else reject(error)
      })
      server.listen(settings.port, settings.public ? undefined : '127.0.0.1', () => resolve())
    })
    return front
  }

  /** The base of the locations' URLs: `http[s]://127.0.0.1:PORT`. */
  get origin(): string {
    const {settings} = this.options
    return `${settings.tls ? 'https' : 'http'}://127.0.0.1:${settings.port}`
  }

  mount(handle: string): void {
    if (this.mounts.has(handle)) return
    const fs = new MegaFileSystem(new ServedTree(this.options.mega, handle), this.options.spoolDir)
    this.dav.setFileSystemSync(`/${handle}`, fs)
    this.mounts.set(handle, fs)
  }

  unmount(handle: string): void {
    if (!this.mounts.delete(handle)) return
    this.dav.removeFileSystemSync(`/${handle}`)
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const domain = createDomain()
    domain.add(req)
    domain.add(res)
    domain.on('error', (error: Error) => this.fail(req, res, error))
    domain.run(() => {
      this.route(req, res).catch((error: unknown) => this.fail(req, res, error instanceof Error ? error : new Error(String(error))))
    })
  }

  private fail(req: IncomingMessage, res: ServerResponse, error: Error): void {
    this.options.log(`${req.method} ${req.url}: ${error.stack ?? error.message}`)
    if (res.headersSent) res.destroy()
    else answer(res, 500)
  }

  /** Whether a Destination header names a path below the served node of the mount `handle`. */
  private inside(destination: string, handle: string, rootName: string): boolean {
    try {
      const names = new URL(destination, 'http://localhost').pathname.split('/').filter(Boolean).map((part) => decodeURIComponent(part))
      return names.length >= 3 && names[0] === handle && names[1].normalize('NFC') === rootName
    } catch {
      return false
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // No web page may use the user's files: a browser sends Origin with a script's cross-site request, WebDAV clients do
    // not, and webdav-server's `Access-Control-Allow-Origin: *` would have let any page delete through a preflight.
    const origin = req.headers.origin
    if (origin !== undefined && origin !== this.origin && origin !== this.origin.replace('127.0.0.1', 'localhost')) return answer(res, 403)
    // Nor does any answer ask for credentials: there are none (webdav-server offers Digest even when it wants none,
    // and some clients then prompt for a password).
    const setHeader = res.setHeader.bind(res)
    res.setHeader = (name: string, value: number | string | readonly string[]) => (/^(access-control-|www-authenticate$)/i.test(name) ? res : setHeader(name, value))
    const url = new URL(req.url ?? '/', 'http://localhost')
    let names: string[]
    try {
      names = url.pathname.split('/').filter(Boolean).map((part) => decodeURIComponent(part))
    } catch {
      return answer(res, 400)
    }
    const fs = names.length >= 2 ? this.mounts.get(names[0]) : undefined
    const root = fs?.tree.root()
    // Only the served node and what is below it: its container `/<handle>/` and anything else answer 404.
    if (!fs || !root || names[1].normalize('NFC') !== root.name) return answer(res, 404)
    const method = (req.method ?? 'GET').toUpperCase()
    const own = OWN[method]
    if (own) return own({req, res, fs, path: new webdav.Path(names.slice(1)), mount: `/${names[0]}`})
    // webdav-server reads the whole body of the methods it answers into memory: they carry small XML, never data.
    if (Number(req.headers['content-length'] ?? 0) > MAX_XML_BODY) return answer(res, 413)
    // MOVE and COPY stay inside the served location: webdav-server would otherwise move or copy into its own root
    // file system (in memory) or another location.
    if ((method === 'MOVE' || method === 'COPY') && !this.inside(String(req.headers.destination ?? ''), names[0], root.name)) return answer(res, 403)
    this.dav.executeRequest(req, res)
  }
}
