import {ApiCode, fail} from '../protocol/api-error.js'
import {optArray, optString, isRecord, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {nowSeconds} from '../protocol/handles.js'
import {NodeType} from '../stores/node-store.js'
import {EXPORT_USER} from '../stores/share-store.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'
import {applyCryptoRequest} from './crypto-request.js'

/** Folder shares `s2` (mega-api.md §6.2, §2.7); today only the export share behind a folder link. */
export const shareCommands: CommandTable = {
  s2: {auth: 'session', run: shareFolder},
}

/**
 * `s2` as megajs sends it to export a folder: `s:[{u:"EXP", r:0}]` with the owner's copy of the new share
 * key (`ok`), its handle auth (`ha`) and a `cr` carrying every node key under the share key; `r:""` (megajs
 * unshareFolder) or no `r` (SDK) removes it. The server keeps `ok`/`ha` for `f.ok` and the `cr` keys as
 * `<shareHandle>:<key>` pairs. When the folder already has a share key and a different `ok` arrives, the
 * stored one stays and the reply carries it (SDK CommandSetShare procresult: `ok` in the reply means the
 * server holds another key). Sharing with real users is not implemented (EACCESS).
 */
function shareFolder(cmd: ApiCommand, ctx: CommandContext): unknown {
  const owner = requireSession(ctx).user
  const node = ctx.server.nodes.owned(reqString(cmd, 'n'), owner)
  if (node.type !== NodeType.FOLDER) fail(ApiCode.EACCESS, 'only folders can be shared')
  const entries = optArray(cmd, 's')
  if (!entries) fail(ApiCode.EARGS, 'missing s')
  const {links, shares} = ctx.server
  const before = shares.shareKey(node.handle)
  const ok = optString(cmd, 'ok')
  const ha = optString(cmd, 'ha')
  for (const entry of entries) {
    if (!isRecord(entry)) fail(ApiCode.EARGS, 'malformed share entry')
    if (entry.u !== EXPORT_USER) fail(ApiCode.EACCESS, 'sharing with other users is not supported by the local server')
    const r = entry.r
    if (r === undefined || r === null || r === '') {
      shares.removeShare(node.handle, EXPORT_USER)
      ctx.emit(owner, 's2', {n: node.handle, o: owner, u: EXPORT_USER, okd: 1})
      // The folder link lived on the EXP share (megajs unshareFolder sends only this s2): it goes too.
      const link = links.byNode(node.handle)
      if (link) {
        links.remove(node.handle)
        ctx.emit(owner, 'ph', {h: node.handle, ph: link.ph, d: 1})
      }
      continue
    }
    const access = Number(r)
    if (!Number.isInteger(access) || access < 0 || access > 2) fail(ApiCode.EARGS, 'bad access level')
    shares.setShare(node, EXPORT_USER, access, ok && ha ? {ok, ha} : undefined)
    const key = shares.shareKey(node.handle)!
    ctx.emit(owner, 's2', {n: node.handle, o: owner, u: EXPORT_USER, r: access, ts: nowSeconds(), ok: key.ok, ha: key.ha})
  }
  applyCryptoRequest(ctx, owner, cmd.cr)
  if (before && ok && ok !== before.ok) return {ok: before.ok, ha: before.ha}
  return 0
}
