import {ApiCode, fail} from '../protocol/api-error.js'
import {reqNumber, type ApiCommand} from '../protocol/command-fields.js'
import {Access} from '../stores/share-store.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'
import {nodeWithAccess} from './node-access.js'

/** `u`: upload URLs; the chunks are POSTed there (upload-manager.ts) and `p` makes the node (nodes.ts). */
export const uploadCommands: CommandTable = {
  u: {auth: 'session', run: requestUploadUrl},
}

/**
 * `u` {s} → {p: upload URL} (mega-api.md §5.1 step 1). `ssl`, `ms`, `r`, `e`, `v` are accepted and
 * ignored: the URL is plain http (the data is encrypted already) — a client that insists on https (`ssl:2`)
 * still gets http, since this server speaks no TLS. `t` names the folders the file goes to (SDK CommandPutFile:
 * the root of each target tree): each must take writes from the caller (EACCESS in a read-only share), and the
 * file counts against the storage of their owner. Over quota → EOVERQUOTA. The upload keeps the request's
 * dialect, which its chunk replies follow. No `ip` list: the SDK logs "Unpaired IPs received" and resolves the
 * host itself (Command::cacheresolvedurls, src/command.cpp).
 */
function requestUploadUrl(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = requireSession(ctx).user
  const size = reqNumber(cmd, 's')
  if (!Number.isSafeInteger(size) || size < 0) fail(ApiCode.EARGS, 'bad size')
  const {users, uploads} = ctx.server
  const targets = Array.isArray(cmd.t) ? cmd.t : cmd.t === undefined ? [] : [cmd.t]
  const owners = new Set(targets.map((t) => nodeWithAccess(ctx.server, t, me, Access.READWRITE).owner))
  if (owners.size > 1) fail(ApiCode.EARGS, 'one upload goes to one account')
  const user = users.byHandle([...owners][0] ?? me)
  if (!user) fail(ApiCode.ESID)
  if (user.storage_used + size > user.storage_max) fail(ApiCode.EOVERQUOTA, 'over storage quota')
  return {p: `${ctx.baseUrl}ul/${uploads.create(me, size, ctx.dialect)}`}
}
