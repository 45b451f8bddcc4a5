import {ApiCode, fail} from '../protocol/api-error.js'
import {flag, optArray, optNumber, optString, isRecord, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {nowSeconds} from '../protocol/handles.js'
import {NodeType} from '../stores/node-store.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'
import {applyCryptoRequest} from './crypto-request.js'

/** The pseudo-user a folder is shared with to export it (mega-api.md §6.1; megajs shareFolder). */
export const EXPORT_USER = 'EXP'

/** Public links `l` and folder export `s2` (mega-api.md §6.1, §6.2, §2.7). */
export const linkCommands: CommandTable = {
  l: {auth: 'session', run: exportNode},
  s2: {auth: 'session', run: shareFolder},
}

/**
 * `l`: answers the public handle as a string; asking again for an exported node gives the same handle
 * (mega-api.md §6.1, mega-mock behaviour). `d:1` removes the link (and a folder's EXP share, whose key only
 * served the link). `ph` packets announce both (SDK sc_ph). Writable folder links (`w`) are not supported: the
 * flag is ignored and a read-only link is made.
 * In the SDK dialect the handle travels as `["<st>","<ph>"]` (a bare string would be a sequence tag) and the
 * `ph` packet carries that tag: the link MEGAcmd prints comes from the node's `plink`, which only the packet sets
 * (MegaClient::sc_ph, src/megaclient.cpp; CommandSetPH::procresult, src/commands.cpp, reads only the handle).
 */
function exportNode(cmd: ApiCommand, ctx: CommandContext): unknown {
  const owner = requireSession(ctx).user
  const node = ctx.server.nodes.owned(reqString(cmd, 'n'), owner)
  if (node.type >= NodeType.ROOT) fail(ApiCode.EACCESS, 'cannot export a root node')
  const links = ctx.server.links
  const existing = links.byNode(node.handle)
  if (flag(cmd, 'd')) {
    if (!existing) fail(ApiCode.ENOENT, 'node is not exported')
    links.remove(node.handle)
    links.removeShare(node.handle, EXPORT_USER)
    ctx.emit(owner, 'ph', {h: node.handle, ph: existing.ph, d: 1})
    return 0
  }
  const ets = optNumber(cmd, 'ets') ?? null
  if (existing) {
    if (cmd.ets !== undefined && ets !== existing.ets) {
      links.setExpiry(node.handle, ets)
      ctx.emit(owner, 'ph', {h: node.handle, ph: existing.ph, u: 1, ts: existing.ts, ...(ets ? {ets} : {})})
    }
    return existing.ph
  }
  const link = links.create(node, ets)
  ctx.emit(owner, 'ph', {h: node.handle, ph: link.ph, n: 1, ts: link.ts, ...(ets ? {ets} : {})})
  return link.ph
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
  const links = ctx.server.links
  const before = links.shareKey(node.handle)
  const ok = optString(cmd, 'ok')
  const ha = optString(cmd, 'ha')
  for (const entry of entries) {
    if (!isRecord(entry)) fail(ApiCode.EARGS, 'malformed share entry')
    if (entry.u !== EXPORT_USER) fail(ApiCode.EACCESS, 'sharing with other users is not supported by the local server')
    const r = entry.r
    if (r === undefined || r === null || r === '') {
      links.removeShare(node.handle, EXPORT_USER)
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
    links.setShare(node, EXPORT_USER, access, ok && ha ? {ok, ha} : undefined)
    const key = links.shareKey(node.handle)!
    ctx.emit(owner, 's2', {n: node.handle, o: owner, u: EXPORT_USER, r: access, ts: nowSeconds(), ok: key.ok, ha: key.ha})
  }
  applyCryptoRequest(ctx, owner, cmd.cr)
  if (before && ok && ok !== before.ok) return {ok: before.ok, ha: before.ha}
  return 0
}
