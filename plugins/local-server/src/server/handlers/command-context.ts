import type {LoginThrottle} from '../accounts/login-throttle.js'
import type {UploadManager} from '../http/upload-manager.js'
import {ApiCode, fail} from '../protocol/api-error.js'
import type {ApiCommand} from '../protocol/command-fields.js'
import type {Dialect} from '../protocol/dialect.js'
import type {AttributeStore} from '../stores/attribute-store.js'
import type {BlobStore} from '../stores/blob-store.js'
import type {ContactStore} from '../stores/contact-store.js'
import type {Db} from '../stores/database.js'
import type {ActionPacket, EventLog} from '../stores/event-log.js'
import type {FolderLink, LinkStore} from '../stores/link-store.js'
import type {NodeStore} from '../stores/node-store.js'
import type {Outbox} from '../stores/outbox.js'
import type {Session, SessionStore} from '../stores/session-store.js'
import type {SignupStore} from '../stores/signup-store.js'
import type {UserStore} from '../stores/user-store.js'
import type {FileAttributeStore} from './file-attributes.js'

export interface ServerConfig {
  /** How long a wait URL blocks when nothing happens (mega-api.md §1.5; megajs re-polls at once). */
  scWaitTimeoutMs: number
  /** Base of the transfer and wait URLs handed to clients; derived from the listening address when unset. */
  publicUrl?: string
}

/** Everything the protocol handlers share for the life of the server. */
export interface ServerContext {
  db: Db
  config: ServerConfig
  users: UserStore
  nodes: NodeStore
  sessions: SessionStore
  events: EventLog
  links: LinkStore
  blobs: BlobStore
  uploads: UploadManager
  fileAttributes: FileAttributeStore
  signups: SignupStore
  outbox: Outbox
  attributes: AttributeStore
  contacts: ContactStore
  /** Wrong-password counts per email (login-throttle.ts). */
  loginThrottle: LoginThrottle
}

/** One command of a `cs` batch being run. */
export interface CommandContext {
  server: ServerContext
  /** The session from `&sid=`, when valid. */
  session: Session | null
  /** The exported folder from `&n=` (folder-link "login", mega-api.md §4.2). */
  folder: FolderLink | null
  /** `http://host:port/` that URLs in replies start with. */
  baseUrl: string
  client: {ip: string; userAgent: string}
  /** The command's `i`, copied into the packets it causes so its sender can skip them (mega-api.md §1.5). */
  requestId: string | undefined
  /** The reply conventions of the request (dialect.ts). */
  dialect: Dialect
  /**
   * Queues an action packet for `user`; it is stored when the command succeeds, with the command's sequence tag
   * in the SDK dialect, and subscribers are woken once the command commits.
   */
  emit(user: string, type: string, fields: Record<string, unknown>, options?: EmitOptions): void
  /** Runs after the command's transaction commits (e.g. deleting blob files). */
  afterCommit(task: () => void): void
}

export interface EmitOptions {
  /** Leave the sequence tag off this packet (the `t` half of a move, nodes.ts). */
  untagged?: boolean
  /** The packet's fields for readers in the SDK dialect (`wsc`), where they differ from what the others can take. */
  sdkFields?: Record<string, unknown>
  /** Only readers of this dialect get the packet (their views of the tree differ, nodes.ts). */
  only?: Dialect
}

export type CommandHandler = (cmd: ApiCommand, ctx: CommandContext) => unknown

/** `session`: needs `&sid=`; `none`: works without; `link`: a session or a folder link (`&n=`). */
export type CommandAuth = 'session' | 'none' | 'link'

export interface CommandSpec {
  auth: CommandAuth
  run: CommandHandler
}

export type CommandTable = Record<string, CommandSpec>

export function requireSession(ctx: CommandContext): Session {
  if (!ctx.session) fail(ApiCode.ESID, 'not logged in')
  return ctx.session
}

/**
 * Builds an action packet with `a` first, the request's `i` right after it and then the sequence tag `st`: the SDK
 * ignores a packet whose first member is not `a`, recognises its own packets only by an `i` right after `a`
 * (MegaClient::sc_procActionPacket, src/megaclient.cpp), and reads `st` only among the leading `a`/`i` members
 * (MegaClient::sc_checkActionPacket: any other name first means "no st").
 */
export function actionPacket(type: string, requestId: string | undefined, st: string | undefined, fields: Record<string, unknown>): ActionPacket {
  return {a: type, ...(requestId === undefined ? {} : {i: requestId}), ...(st === undefined ? {} : {st}), ...fields}
}
