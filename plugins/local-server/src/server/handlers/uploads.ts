import {ApiCode, fail} from '../protocol/api-error.js'
import {reqNumber, type ApiCommand} from '../protocol/command-fields.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'

/** `u`: upload URLs; the chunks are POSTed there (upload-manager.ts) and `p` makes the node (nodes.ts). */
export const uploadCommands: CommandTable = {
  u: {auth: 'session', run: requestUploadUrl},
}

/**
 * `u` {s} → {p: upload URL} (mega-api.md §5.1 step 1). `ssl`, `ms`, `r`, `e`, `v`, `t` are accepted and
 * ignored: the URL is plain http (the data is encrypted already) — a client that insists on https (`ssl:2`)
 * still gets http, since this server speaks no TLS. Over quota → EOVERQUOTA. The upload keeps the request's
 * dialect, which its chunk replies follow. No `ip` list: the SDK logs "Unpaired IPs received" and resolves the
 * host itself (Command::cacheresolvedurls, src/command.cpp).
 */
function requestUploadUrl(cmd: ApiCommand, ctx: CommandContext): unknown {
  const owner = requireSession(ctx).user
  const size = reqNumber(cmd, 's')
  if (!Number.isSafeInteger(size) || size < 0) fail(ApiCode.EARGS, 'bad size')
  const {users, nodes, uploads} = ctx.server
  const user = users.byHandle(owner)
  if (!user) fail(ApiCode.ESID)
  const used = [user.root, user.inbox, user.rubbish].reduce((sum, root) => {
    const u = nodes.usage(root)
    return sum + u.bytes + u.versionBytes
  }, 0)
  if (used + size > user.storage_max) fail(ApiCode.EOVERQUOTA, 'over storage quota')
  return {p: `${ctx.baseUrl}ul/${uploads.create(owner, size, ctx.dialect)}`}
}
