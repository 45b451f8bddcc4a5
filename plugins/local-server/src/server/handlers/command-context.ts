import {ApiCode, fail} from '../protocol/api-error.js'
import type {ApiCommand} from '../protocol/command-fields.js'
import type {Dialect} from '../protocol/dialect.js'
import type {ServerContext} from '../server-context.js'
import type {FolderLink} from '../stores/link-store.js'
import type {Session} from '../stores/session-store.js'

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
