import {actionPacket} from '../protocol/action-packet.js'
import {ApiCode, ApiError} from '../protocol/api-error.js'
import {isRecord} from '../protocol/command-fields.js'
import {canCarrySeqTag, dialectOf, shapeResult, type Dialect} from '../protocol/dialect.js'
import {ReplyCache} from '../protocol/reply-cache.js'
import {StreamedJson} from '../protocol/streamed-json.js'
import type {ServerContext} from '../server-context.js'
import {SequenceTags} from '../stores/sequence-tags.js'
import type {Session} from '../stores/session-store.js'
import {accountExtraCommands} from './account-extras.js'
import {accountCommands} from './accounts.js'
import type {CommandContext, CommandTable, EmitOptions} from './command-context.js'
import {contactCommands} from './contacts.js'
import {downloadCommands} from './downloads.js'
import {fileAttributeCommands} from './file-attributes.js'
import {linkCommands} from './links.js'
import {nodeCommands} from './nodes.js'
import {registrationCommands} from './registration.js'
import {shareCommands} from './shares.js'
import {uploadCommands} from './uploads.js'
import {userAttributeCommands} from './user-attributes.js'
import {userUpdateCommands} from './user-update.js'

const COMMANDS: CommandTable = {
  ...accountCommands, ...accountExtraCommands, ...registrationCommands, ...userUpdateCommands, ...userAttributeCommands,
  ...contactCommands, ...nodeCommands, ...uploadCommands, ...downloadCommands, ...linkCommands, ...shareCommands,
  ...fileAttributeCommands,
}

/** Where a `cs` request came from and what its query string says. */
export interface CsRequest {
  body: string
  query: URLSearchParams
  baseUrl: string
  client: {ip: string; userAgent: string}
}

/** An action packet a command queued, stored only if the command succeeds. */
interface QueuedPacket {
  user: string
  type: string
  fields: Record<string, unknown>
  options: EmitOptions
}

/**
 * Runs `cs` batches (mega-api.md §1.1): a JSON array of commands in, a JSON array of per-command results out,
 * in order; `0` for a bare OK (go-mega cannot parse `{}`), a negative number for a failed command. Failures of
 * the whole request are a bare number: -2 for a body that is not an array, -15 for a dead `sid`, -9 for an
 * unknown folder link in `&n=` (guess: the sources only show -9 as the folder-link-gone answer on `sc`); an
 * expired one fails each command with -8 instead.
 * Every command runs in its own transaction, with the action packets it causes; subscribers of those accounts
 * are woken after it commits. A resent batch gets its first reply again (reply-cache.ts).
 *
 * In the SDK dialect (`v=3`, dialect.ts) a command that caused packets for the caller's own account draws a
 * sequence tag (sequence-tags.ts): its packets carry it (as SDK-dialect readers get them; the other clients get
 * each packet as before, without it) and its reply is the tag instead of `0`, or `["<st>", payload]`. The SDK
 * then completes the command only after those packets were applied (Request::processSeqTag, src/request.cpp;
 * MegaClient::sc_checkSequenceTag, src/megaclient.cpp): that is how it learns what `p` created. A tag is only
 * handed out when such a packet exists: a tag the session never sees on `sc` would stall its command queue for
 * good (sdk-dialect.md §1.4 point 5).
 */
export class CommandDispatcher {
  private readonly replies = new ReplyCache()
  private readonly seqTags: SequenceTags

  constructor(private readonly server: ServerContext) {
    this.seqTags = new SequenceTags(server.db)
    server.sessions.onKill((session) => this.replies.forget(session.sid))
  }

  run(request: CsRequest): string | StreamedJson {
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
    const replayed = sid && id ? this.replies.lookup(sid, id, request.body) : undefined
    if (replayed !== undefined) return replayed
    const n = request.query.get('n')
    const folder = n ? links.folderLink(n) ?? null : null
    if (n && !folder) return String(ApiCode.ENOENT)

    const dialect = dialectOf(request.query)
    // An expired folder link answers EEXPIRED to each command, as MEGA's link pages expect (meganz/webclient
    // js/ui/linkAccess.js getErrorMessage: `res === EEXPIRED` shows "dl_expired_folder_err"). It is each command's
    // own failure: a whole-batch error would make the SDK log its folder session out (sdk-dialect.md §1.2).
    const results = folder === 'expired'
      ? batch.map(() => ApiCode.EEXPIRED)
      : batch.map((cmd: unknown) => this.runOne(cmd, {session, folder, request, dialect}))
    // A streamed result (a large `f`) makes the whole reply streamed; it is read-only, so it is not kept for resends.
    if (results.some((result) => result instanceof StreamedJson)) {
      return StreamedJson.array(results.map((result) => (result instanceof StreamedJson ? result : JSON.stringify(result))))
    }
    const reply = JSON.stringify(results)
    if (sid && id) this.replies.remember(sid, id, request.body, reply)
    return reply
  }

  private runOne(cmd: unknown, from: {session: Session | null; folder: CommandContext['folder']; request: CsRequest; dialect: Dialect}): unknown {
    if (!isRecord(cmd) || typeof cmd.a !== 'string') return ApiCode.EARGS
    const command = cmd.a
    const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
    if (!spec) return ApiCode.EARGS
    if (spec.auth === 'session' && !from.session) return ApiCode.ESID
    if (spec.auth === 'link' && !from.session && !from.folder) return ApiCode.ESID

    const queued: QueuedPacket[] = []
    const afterCommit: Array<() => void> = []
    const requestId = typeof cmd.i === 'string' ? cmd.i : undefined
    const {dialect, session} = from
    const ctx: CommandContext = {
      server: this.server,
      session,
      folder: from.folder,
      baseUrl: from.request.baseUrl,
      client: from.request.client,
      requestId,
      dialect,
      emit: (user, type, fields, options = {}) => queued.push({user, type, fields, options}),
      afterCommit: (task) => afterCommit.push(task),
    }
    let outcome: {result: unknown; st: string | undefined}
    try {
      outcome = this.server.db.transaction(() => {
        const result = spec.run(cmd, ctx)
        const ownPacket = session !== null &&
          queued.some((p) => p.user === session.user && !p.options.untagged && p.options.only !== 'legacy')
        const st = dialect === 'sdk' && ownPacket && canCarrySeqTag(command, result) ? this.seqTags.next() : undefined
        for (const p of queued) this.store(p, requestId, st)
        return {result, st}
      })()
    } catch (error) {
      return errorCode(error)
    }
    this.server.events.notify(new Set(queued.map((p) => p.user)))
    for (const task of afterCommit) task()
    return shapeResult(dialect, command, outcome.result, outcome.st)
  }

  /** Stores a queued packet in both renderings (event-log.ts): the tag only where SDK-dialect readers see it. */
  private store(p: QueuedPacket, requestId: string | undefined, st: string | undefined): void {
    const {only, sdkFields = p.fields, untagged} = p.options
    const packet = only === 'sdk' ? '' : JSON.stringify(actionPacket(p.type, requestId, undefined, p.fields))
    const sdkPacket = only === 'legacy' ? '' : JSON.stringify(actionPacket(p.type, requestId, untagged ? undefined : st, sdkFields))
    this.server.events.append(p.user, packet, sdkPacket === packet ? null : sdkPacket)
  }
}

function errorCode(error: unknown): number {
  if (error instanceof ApiError) return error.code
  // Another process (useradd) holding the write lock past the busy timeout: "try again" is the truth.
  if ((error as {code?: string})?.code === 'SQLITE_BUSY') return ApiCode.EAGAIN
  process.stderr.write(`local-server: internal error: ${(error as Error)?.stack ?? String(error)}\n`)
  return ApiCode.EINTERNAL
}
