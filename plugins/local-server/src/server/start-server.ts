import type {IncomingMessage} from 'node:http'
import type {AddressInfo} from 'node:net'
import {AttributeStore} from './attribute-store.js'
import {BlobStore} from './blob-store.js'
import {CommandDispatcher} from './command-dispatcher.js'
import {ContactStore} from './contact-store.js'
import type {ServerContext} from './context.js'
import {openDatabase} from './database.js'
import {DownloadServer} from './downloads.js'
import {EventLog} from './event-log.js'
import {EventChannel} from './events.js'
import {FaultInjector, parseFaults, type FaultPlan} from './faults.js'
import {FileAttributeStore} from './file-attributes.js'
import {createHttpServer} from './http-server.js'
import {LinkStore} from './links.js'
import {NodeStore} from './node-store.js'
import {Outbox} from './outbox.js'
import {SessionStore} from './sessions.js'
import {SignupStore} from './signup-store.js'
import {UploadManager} from './uploads.js'
import {UserStore} from './user-store.js'

export const DEFAULT_PORT = 4000
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_SC_WAIT_TIMEOUT_MS = 40_000
/** Action packets are kept this long; a client offline for longer reloads with `f`. */
const EVENT_RETENTION_S = 30 * 24 * 3600

export interface ServerOptions {
  /** Data folder: server.db plus blobs/. Created when missing. */
  dataDir: string
  /** TCP port; 0 picks a free one. Default 4000. */
  port?: number
  /** Address to bind. Default 127.0.0.1 (loopback only). */
  host?: string
  /** How long a wait URL blocks when nothing happens. Default 40 s. */
  scWaitTimeoutMs?: number
  /** Base of upload/download/wait URLs in replies (e.g. when a TLS proxy fronts the API). */
  publicUrl?: string
  /** Fault injection, e.g. "eagain:3" (faults.ts). Default: MEGA_LOCAL_SERVER_FAULTS, else none. */
  faults?: string | FaultPlan
}

export interface RunningServer {
  /** API base for clients (megajs `gateway`, MEGA_API_URL), ending in `/`. */
  url: string
  port: number
  host: string
  dataDir: string
  /** Stops listening, ends open requests, saves unfinished uploads and closes the database. */
  close(): Promise<void>
}

/** Starts a local MEGA-compatible API server on a data folder (design.md "The local MEGA-compatible server"). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST
  const faultPlan = typeof options.faults === 'object' ? options.faults : parseFaults(options.faults ?? process.env.MEGA_LOCAL_SERVER_FAULTS)
  const db = openDatabase(options.dataDir)
  const blobs = new BlobStore(options.dataDir)
  const nodes = new NodeStore(db)
  const config = {scWaitTimeoutMs: options.scWaitTimeoutMs ?? DEFAULT_SC_WAIT_TIMEOUT_MS, publicUrl: options.publicUrl}
  const context: ServerContext = {
    db, config, blobs, nodes,
    users: new UserStore(db),
    sessions: new SessionStore(db),
    events: new EventLog(db),
    links: new LinkStore(db, nodes),
    uploads: new UploadManager(db, blobs),
    fileAttributes: new FileAttributeStore(db),
    signups: new SignupStore(db),
    outbox: new Outbox(db),
    attributes: new AttributeStore(db),
    contacts: new ContactStore(db),
  }
  context.uploads.cleanup(nodes)
  context.events.prune(EVENT_RETENTION_S)

  const channel = new EventChannel(context)
  let fixedBase: string | undefined
  let port = 0
  const http = createHttpServer({
    server: context,
    dispatcher: new CommandDispatcher(context),
    channel,
    downloads: new DownloadServer(db, blobs, faultPlan),
    faults: new FaultInjector(faultPlan),
    baseUrl: (req: IncomingMessage) => fixedBase ?? `http://${req.headers.host ?? `${host}:${port}`}/`,
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(options.port ?? DEFAULT_PORT, host, () => {
      http.off('error', reject)
      resolve()
    })
  }).catch((error: unknown) => {
    db.close()
    throw error
  })
  port = (http.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host
  const wildcard = host === '0.0.0.0' || host === '::'
  // Bound to every interface, the reachable name is whatever the client used; otherwise it is the bound one.
  fixedBase = options.publicUrl ?? (wildcard ? undefined : `http://${urlHost}:${port}/`)
  if (fixedBase && !fixedBase.endsWith('/')) fixedBase += '/'
  const url = fixedBase ?? `http://127.0.0.1:${port}/`

  let closing: Promise<void> | undefined
  return {
    url, port, host, dataDir: options.dataDir,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => http.close(() => resolve()))
        channel.releaseAll()
        http.closeAllConnections()
        await closed
        await context.uploads.close()
        db.close()
      })()
      return closing
    },
  }
}
