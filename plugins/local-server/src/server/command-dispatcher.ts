import {accountCommands} from './accounts.js'
import {contactCommands} from './contacts.js'
import {ApiCode, ApiError} from './api-error.js'
import {isRecord} from './command-fields.js'
import {actionPacket, type CommandContext, type CommandTable, type ServerContext} from './context.js'
import {downloadCommands} from './downloads.js'
import {fileAttributeCommands} from './file-attributes.js'
import {linkCommands} from './links.js'
import {nodeCommands} from './nodes.js'
import {registrationCommands} from './registration.js'
import type {Session} from './sessions.js'
import {uploadCommands} from './uploads.js'
import {userAttributeCommands} from './user-attributes.js'
import {userUpdateCommands} from './user-update.js'

const COMMANDS: CommandTable = {
  ...accountCommands, ...registrationCommands, ...userUpdateCommands, ...userAttributeCommands, ...contactCommands,
  ...nodeCommands, ...uploadCommands, ...downloadCommands, ...linkCommands, ...fileAttributeCommands,
}

const MAX_REMEMBERED_REPLY = 64 * 1024

/** Where a `cs` request came from and what its query string says. */
export interface CsRequest {
  body: string
  query: URLSearchParams
  baseUrl: string
  client: {ip: string; userAgent: string}
}

interface LastReply {
  id: string
  body: string
  reply: string
}

/**
 * Runs `cs` batches (mega-api.md §1.1): a JSON array of commands in, a JSON array of per-command results out,
 * in order; `0` for a bare OK (go-mega cannot parse `{}`), a negative number for a failed command. Failures of
 * the whole request are a bare number: -2 for a body that is not an array, -15 for a dead `sid`, -9 for an
 * unknown folder link in `&n=` (guess: the sources only show -9 as the folder-link-gone answer on `sc`).
 * Every command runs in its own transaction, with the action packets it causes; subscribers of those accounts
 * are woken after it commits. A batch resent with the same `id`, `sid` and body (the SDK and go-mega reuse the
 * id when they retry) gets the stored reply instead of running twice (inferred from SDK comments, §9).
 */
export class CommandDispatcher {
  private readonly lastReplies = new Map<string, LastReply>()

  constructor(private readonly server: ServerContext) {
    server.sessions.onKill((session) => this.lastReplies.delete(session.sid))
  }

  run(request: CsRequest): string {
    let batch: unknown
    try {
      batch = JSON.parse(request.body)
    } catch {
      return String(ApiCode.EARGS)
    }
    if (!Array.isArray(batch)) return String(ApiCode.EARGS)
    const {sessions, links} = this.server
    const sid = request.query.get('sid')
    let session: Session | null = null
    if (sid) {
      session = sessions.lookup(sid) ?? null
      if (!session) return String(ApiCode.ESID)
      sessions.touch(session)
    }
    const id = request.query.get('id') ?? ''
    if (sid && id) {
      const last = this.lastReplies.get(sid)
      if (last && last.id === id && last.body === request.body) return last.reply
    }
    const n = request.query.get('n')
    const folder = n ? links.folderLink(n) ?? null : null
    if (n && !folder) return String(ApiCode.ENOENT)

    const results = batch.map((cmd: unknown) => this.runOne(cmd, {session, folder, request}))
    const reply = JSON.stringify(results)
    // Large replies (a big account's `f`) are not kept: resending those is harmless, keeping them is not.
    if (sid && id && reply.length <= MAX_REMEMBERED_REPLY) {
      if (this.lastReplies.size > 10_000) this.lastReplies.clear()
      this.lastReplies.set(sid, {id, body: request.body, reply})
    }
    return reply
  }

  private runOne(cmd: unknown, from: {session: Session | null; folder: CommandContext['folder']; request: CsRequest}): unknown {
    if (!isRecord(cmd) || typeof cmd.a !== 'string') return ApiCode.EARGS
    const spec = Object.hasOwn(COMMANDS, cmd.a) ? COMMANDS[cmd.a] : undefined
    if (!spec) return ApiCode.EARGS
    if (spec.auth === 'session' && !from.session) return ApiCode.ESID
    if (spec.auth === 'link' && !from.session && !from.folder) return ApiCode.ESID

    const touched = new Set<string>()
    const afterCommit: Array<() => void> = []
    const requestId = typeof cmd.i === 'string' ? cmd.i : undefined
    const {events, db} = this.server
    const ctx: CommandContext = {
      server: this.server,
      session: from.session,
      folder: from.folder,
      baseUrl: from.request.baseUrl,
      client: from.request.client,
      requestId,
      emit: (user, type, fields) => {
        events.append(user, actionPacket(type, requestId, fields))
        touched.add(user)
      },
      afterCommit: (task) => afterCommit.push(task),
    }
    let result: unknown
    try {
      result = db.transaction(() => spec.run(cmd, ctx))()
    } catch (error) {
      return errorCode(error)
    }
    events.notify(touched)
    for (const task of afterCommit) task()
    return result
  }
}

function errorCode(error: unknown): number {
  if (error instanceof ApiError) return error.code
  // Another process (useradd) holding the write lock past the busy timeout: "try again" is the truth.
  if ((error as {code?: string})?.code === 'SQLITE_BUSY') return ApiCode.EAGAIN
  process.stderr.write(`local-server: internal error: ${(error as Error)?.stack ?? String(error)}\n`)
  return ApiCode.EINTERNAL
}
