import {FIRST_CHUNK} from '../accounts/transfer-quota.js'
import {ApiCode, ApiError, fail} from '../protocol/api-error.js'
import {flag, optArray, optNumber, optString, type ApiCommand} from '../protocol/command-fields.js'
import {isExpired} from '../stores/link-store.js'
import {NodeType, type NodeRow} from '../stores/node-store.js'
import {Access} from '../stores/share-store.js'
import type {CommandContext, CommandTable} from './command-context.js'
import {nodeWithAccess} from './node-access.js'

/**
 * `g`: a file's size, attributes and download URL; the bytes are sent by download-server.ts. `qbq`: whether
 * downloads of a given size fit the transfer quota (accounts/transfer-quota.ts).
 */
export const downloadCommands: CommandTable = {
  g: {auth: 'none', run: getFile},
  qbq: {auth: 'none', run: queryTransferQuota},
}

/**
 * `g` (mega-api.md §5.3): `n` a node the session can read (its own, or in a folder shared with it), `n` inside the folder link given by `&n=`, or `p` a public
 * file link (no session needed). Reply {s, at, [fa], [g]}: the URL only when `g:1` was asked for (megajs
 * reads a file link's size and name with a bare `{a:"g", p}`), always http since this server has no TLS.
 *
 * With a session the URL is that account's own (download-store.ts): what it downloads through it counts against
 * its transfer quota. When not even the first chunk of the file fits what is left of it, the reply has no URL but
 * `e: -17` (EOVERQUOTA) and `tl`, the seconds until it does: the SDK reads both from an otherwise normal reply and
 * waits `tl` before trying again (CommandGetFile::procresult, src/commands.cpp, and the completion in
 * MegaClient::dispatchTransfers, src/megaclient.cpp: `e == API_EOVERQUOTA` → failed with `tl`; a reply that has a
 * URL is downloaded whatever its `e`); go-mega reads `e` too (mega-api.md §5.3). A download that starts within
 * the quota and runs over it is stopped by the data URL instead (HTTP 509, download-server.ts).
 */
function getFile(cmd: ApiCommand, ctx: CommandContext): unknown {
  const node = resolveFile(cmd, ctx)
  if (node.type !== NodeType.FILE || !node.blob) fail(ApiCode.EARGS, 'not a file')
  const size = node.size ?? 0
  const reply: Record<string, unknown> = {s: size, at: node.attrs}
  if (node.fa) reply.fa = node.fa
  if (!flag(cmd, 'g')) return reply
  const user = ctx.session?.user
  if (user === undefined) {
    reply.g = `${ctx.baseUrl}dl/${node.blob}`
    return reply
  }
  const {transferQuota, downloadUrls} = ctx.server
  const first = Math.min(size, FIRST_CHUNK)
  if (transferQuota.remaining(user) < first) {
    reply.e = ApiCode.EOVERQUOTA
    reply.tl = transferQuota.secondsUntilFits(user, first)
    return reply
  }
  reply.g = `${ctx.baseUrl}dl/${downloadUrls.tokenFor(user, node.blob)}`
  return reply
}

/**
 * `qbq` ("query bandwidth quota"): can the caller download this much? The SDK sends `{s: <bytes>}`
 * (CommandQueryTransferQuota, src/commands.cpp); the webclient sends the handles of the files it has queued, `n`
 * (nodes) and `p` (public links), with `s` = minus the bytes of them it already has (js/transfers/queue.js,
 * TransferQueue.prototype.push, with dlmanager.getQBQData). The answer, as that webclient code spells it out:
 *   0  the quota suffices
 *   1  unregistered user, not enough quota
 *   2  registered user, not enough quota
 *   3  can't even get the first chunk
 * The webclient warns on 1 and 2, the SDK pre-warns on 2 and 3 (MegaApiImpl::querytransferquota_result,
 * src/megaapi_impl.cpp). Without a session nobody's quota pays for a download here (transfer-quota.ts), so the
 * answer is 0, never 1.
 */
function queryTransferQuota(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = ctx.session?.user
  if (user === undefined) return 0
  let size = optNumber(cmd, 's') ?? 0
  for (const key of ['n', 'p']) {
    for (const handle of optArray(cmd, key) ?? []) {
      if (typeof handle !== 'string') continue
      try {
        size += resolveFile({[key]: handle}, ctx).size ?? 0
      } catch (error) {
        // A file the caller cannot see (or gone meanwhile) adds nothing, and says nothing about it.
        if (!(error instanceof ApiError)) throw error
      }
    }
  }
  if (size <= 0) return 0
  const remaining = ctx.server.transferQuota.remaining(user)
  if (remaining < Math.min(size, FIRST_CHUNK)) return 3
  return remaining < size ? 2 : 0
}

function resolveFile(cmd: ApiCommand, ctx: CommandContext): NodeRow {
  const {nodes, links} = ctx.server
  const ph = optString(cmd, 'p')
  if (ph) {
    const link = links.byPh(ph)
    if (!link) fail(ApiCode.ENOENT, 'no such link')
    // What MEGA's link page expects of an expired link (meganz/webclient js/ui/linkAccess.js: EEXPIRED).
    if (isExpired(link)) fail(ApiCode.EEXPIRED, 'link expired')
    const node = nodes.get(link.node)
    if (!node || node.type !== NodeType.FILE) fail(ApiCode.ENOENT, 'no such file link')
    return node
  }
  const handle = optString(cmd, 'n')
  if (!handle) fail(ApiCode.EARGS, 'missing n or p')
  if (ctx.folder) {
    const node = nodes.get(handle)
    if (!node || !nodes.isWithin(node, ctx.folder.root.handle) || nodes.isVersion(node)) fail(ApiCode.ENOENT, 'not in this folder link')
    return node
  }
  if (!ctx.session) fail(ApiCode.ESID, 'not logged in')
  // Any share gives read access (node-access.ts).
  return nodeWithAccess(ctx.server, handle, ctx.session.user, Access.READ)
}
