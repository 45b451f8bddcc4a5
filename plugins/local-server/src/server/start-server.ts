/**
 * Layout of the local server (src/server/). Handlers validate a command, check access, call stores and emit
 * action packets; stores hold all SQL and never see a request. A `cs` command is in the handlers/ file that
 * lists it:
 *   handlers/   accounts (us0 us ug uq sml usl usr), registration (uc uc2 ud ud2), user-update (up),
 *               user-attributes (uga up2 upv upr uk), contacts (upc upca ur2), nodes (f p m d a dv), uploads (u),
 *               downloads (g qbq), links (l), shares (s2), file-attributes (ufa pfa), account-extras (gpsa utt utp
 *               pk stp ftz log); command-dispatcher.ts runs a batch, command-context.ts is what a handler gets.
 *   stores/     database.ts (schema, migrations) and one store per table family; blob-store.ts also owns the
 *               ciphertext files.
 *   events/     the `sc` channel: sc + wait/ (event-channel.ts), the SDK's wsc + wsc/w (sdk-event-channel.ts),
 *               blocked polls (event-waiters.ts), the cs/rs stream (request-status.ts).
 *   http/       http-server.ts maps every URL to its code; the data paths ul/, dl/, fa/ (upload-manager.ts,
 *               download-server.ts, file-attribute-server.ts); fault injection, listen, request helpers.
 *   protocol/   the wire: dialect, API errors, command fields, handles, node and packet shapes, the fa string,
 *               the reply cache for resent batches.
 *   accounts/   account creation (useradd), login hash and two-factor checks, the login throttle, TOTP, the
 *               transfer quota.
 *   here        main.ts (the process), this file (the wiring), server-context.ts (what all of them share), the
 *               data folder (data-dir.ts), its lock (server-lock.ts) and the launcher's report (startup-report.ts).
 */

import type {IncomingMessage} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {FileLock} from '@mega-shell/core'
import {clearServerInfoIfOwn, writeServerInfo} from '../control/server-info.js'
import {LoginThrottle, parseLoginThrottle, type LoginThrottlePlan} from './accounts/login-throttle.js'
import {TransferQuota} from './accounts/transfer-quota.js'
import {prepareDataDir} from './data-dir.js'
import {EventChannel} from './events/event-channel.js'
import {EventWaiters} from './events/event-waiters.js'
import {RequestStatus} from './events/request-status.js'
import {SdkEventChannel} from './events/sdk-event-channel.js'
import {CommandDispatcher} from './handlers/command-dispatcher.js'
import {keepFreedMemoryForReuse} from './http/blob-io.js'
import {DownloadServer} from './http/download-server.js'
import {FaultInjector, parseFaults, type FaultPlan} from './http/faults.js'
import {FileAttributeServer} from './http/file-attribute-server.js'
import {createHttpServer} from './http/http-server.js'
import {listen} from './http/listen.js'
import {UploadManager} from './http/upload-manager.js'
import type {ServerContext} from './server-context.js'
import {lockDataDir} from './server-lock.js'
import {AttributeStore} from './stores/attribute-store.js'
import {BlobStore} from './stores/blob-store.js'
import {ContactStore} from './stores/contact-store.js'
import {openDatabase, type Db} from './stores/database.js'
import {DownloadUrlStore, TransferUseStore} from './stores/download-store.js'
import {EventLog} from './stores/event-log.js'
import {FileAttributeStore} from './stores/file-attribute-store.js'
import {LinkStore} from './stores/link-store.js'
import {NodeStore} from './stores/node-store.js'
import {Outbox} from './stores/outbox.js'
import {SessionStore} from './stores/session-store.js'
import {ShareStore} from './stores/share-store.js'
import {SignupStore} from './stores/signup-store.js'
import {UserStore} from './stores/user-store.js'

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
  /**
   * Wrong passwords per account before its logins are refused, e.g. "10/3600" (login-throttle.ts).
   * Default: MEGA_LOCAL_SERVER_LOGIN_THROTTLE, else 10 per hour.
   */
  loginThrottle?: string | LoginThrottlePlan
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

/**
 * Starts a local MEGA-compatible API server on a data folder (design.md "The local MEGA-compatible server"):
 * the only one on that folder (server-lock.ts), recorded in its server.json until it closes. Failures to
 * start are CommandErrors: one line and MEGAcmd's exit code.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const {dataDir} = options
  const plans = {
    faults: typeof options.faults === 'object' ? options.faults : parseFaults(options.faults ?? process.env.MEGA_LOCAL_SERVER_FAULTS),
    loginThrottle: typeof options.loginThrottle === 'object'
      ? options.loginThrottle
      : parseLoginThrottle(options.loginThrottle ?? process.env.MEGA_LOCAL_SERVER_LOGIN_THROTTLE),
  }
  prepareDataDir(dataDir)
  const lock = lockDataDir(dataDir)
  // Upload bodies pass through the C heap: keep it from shrinking and growing back around them (blob-io.ts).
  keepFreedMemoryForReuse()
  let db: Db | undefined
  try {
    db = openDatabase(dataDir)
    return await serve(options, {db, lock, ...plans})
  } catch (error) {
    db?.close()
    lock.release()
    throw error
  }
}

/** What `serve` runs on: the open database, the data folder's lock (released on close) and the plans. */
interface Setup {
  db: Db
  lock: FileLock
  faults: FaultPlan
  loginThrottle: LoginThrottlePlan
}

async function serve(options: ServerOptions, {db, lock, faults, loginThrottle}: Setup): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST
  const blobs = new BlobStore(options.dataDir, db)
  const nodes = new NodeStore(db)
  const config = {scWaitTimeoutMs: options.scWaitTimeoutMs ?? DEFAULT_SC_WAIT_TIMEOUT_MS, publicUrl: options.publicUrl}
  const users = new UserStore(db)
  const context: ServerContext = {
    db, config, blobs, nodes, users,
    sessions: new SessionStore(db),
    events: new EventLog(db),
    links: new LinkStore(db, nodes),
    shares: new ShareStore(db),
    uploads: new UploadManager(db, blobs, faults),
    downloadUrls: new DownloadUrlStore(db),
    transferQuota: new TransferQuota(new TransferUseStore(db), users),
    fileAttributes: new FileAttributeServer(new FileAttributeStore(db)),
    signups: new SignupStore(db),
    outbox: new Outbox(db),
    attributes: new AttributeStore(db),
    contacts: new ContactStore(db),
    loginThrottle: new LoginThrottle(loginThrottle),
  }
  context.uploads.cleanup(nodes)
  context.downloadUrls.prune()
  context.transferQuota.prune()
  context.events.prune(EVENT_RETENTION_S)

  const waiters = new EventWaiters(context)
  let fixedBase: string | undefined
  let port = 0
  const http = createHttpServer({
    server: context,
    dispatcher: new CommandDispatcher(context),
    channel: new EventChannel(context, waiters),
    sdkChannel: new SdkEventChannel(context, waiters),
    requestStatus: new RequestStatus(context),
    downloads: new DownloadServer(blobs, context.downloadUrls, context.transferQuota, faults),
    faults: new FaultInjector(faults),
    baseUrl: (req: IncomingMessage) => fixedBase ?? `http://${req.headers.host ?? `${host}:${port}`}/`,
  })

  await listen(http, options.port ?? DEFAULT_PORT, host)
  port = (http.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host
  const wildcard = host === '0.0.0.0' || host === '::'
  // Bound to every interface, the reachable name is whatever the client used; otherwise it is the bound one.
  fixedBase = options.publicUrl ?? (wildcard ? undefined : `http://${urlHost}:${port}/`)
  if (fixedBase && !fixedBase.endsWith('/')) fixedBase += '/'
  const url = fixedBase ?? `http://127.0.0.1:${port}/`

  writeServerInfo(options.dataDir, {pid: process.pid, port, url})

  let closing: Promise<void> | undefined
  return {
    url, port, host, dataDir: options.dataDir,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => http.close(() => resolve()))
        waiters.releaseAll()
        http.closeAllConnections()
        await closed
        await context.uploads.close()
        db.close()
        clearServerInfoIfOwn(options.dataDir, process.pid)
        lock.release()
      })()
      return closing
    },
  }
}
