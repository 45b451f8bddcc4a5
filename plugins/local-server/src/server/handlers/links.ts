import {ApiCode, fail} from '../protocol/api-error.js'
import {flag, optNumber, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {type LinkRow, linkFields, type LinkSettings} from '../stores/link-store.js'
import {NodeType} from '../stores/node-store.js'
import {EXPORT_USER} from '../stores/share-store.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'

/** Public links `l` (mega-api.md §6.1); a folder link's keys come with the folder's export share (`s2`, shares.ts). */
export const linkCommands: CommandTable = {
  l: {auth: 'session', run: exportNode},
}

/**
 * `l` (mega-api.md §6.1; sdk-dialect.md §7.2): answers the public handle, and for a writable folder link (`w`)
 * `{ph, w: <auth key>}` (SDK CommandSetPH::procresult needs both). `d:1` removes the link (and a folder's EXP share,
 * whose key only served the link). `ph` packets announce each change with `ts`, `ets` and `w` (SDK sc_ph).
 *
 * Asking again for an exported node keeps its public handle and gives the link the settings of this request: an
 * `l` without `ets` makes it permanent, as the webclient's comment on its own `l` says ("If the Expiry Timestamp
 * (ets) is already set locally, resend in the request or it gets removed", meganz/webclient js/ui/export.js
 * _getExportLinkRequest), and the SDK sends `l` again only to change ets or writability (MegaClient::exportnode).
 * Only a folder link can be writable: `w` on a file answers EARGS (a guess; the SDK asks for it on folders only).
 * Expiry needs no PRO account here; what MEGA answers a free account is not known (sdk-dialect.md §7.2).
 *
 * In the SDK dialect the payload travels as `["<st>", payload]` (a bare string would be a sequence tag) and the
 * `ph` packet carries that tag: the link MEGAcmd prints comes from the node's `plink`, which only the packet sets
 * (MegaClient::sc_ph, src/megaclient.cpp; CommandSetPH::procresult, src/commands.cpp, reads only the handle).
 */
function exportNode(cmd: ApiCommand, ctx: CommandContext): unknown {
  const owner = requireSession(ctx).user
  const node = ctx.server.nodes.owned(reqString(cmd, 'n'), owner)
  if (node.type >= NodeType.ROOT) fail(ApiCode.EACCESS, 'cannot export a root node')
  const {links, shares} = ctx.server
  const existing = links.byNode(node.handle)
  if (flag(cmd, 'd')) {
    if (!existing) fail(ApiCode.ENOENT, 'node is not exported')
    links.remove(node.handle)
    shares.removeShare(node.handle, EXPORT_USER)
    ctx.emit(owner, 'ph', {h: node.handle, ph: existing.ph, d: 1})
    return 0
  }
  const settings: LinkSettings = {ets: optNumber(cmd, 'ets') || null, writable: flag(cmd, 'w')}
  if (settings.ets !== null && (!Number.isInteger(settings.ets) || settings.ets < 0)) fail(ApiCode.EARGS, 'bad ets')
  if (settings.writable && node.type !== NodeType.FOLDER) fail(ApiCode.EARGS, 'only a folder link can be writable')
  if (existing) {
    if (settings.ets === existing.ets && settings.writable === (existing.auth !== null)) return reply(existing)
    const updated = links.update(existing, settings)
    ctx.emit(owner, 'ph', {h: node.handle, ph: updated.ph, u: 1, ...linkFields(updated)})
    return reply(updated)
  }
  const link = links.create(node, settings)
  ctx.emit(owner, 'ph', {h: node.handle, ph: link.ph, n: 1, ...linkFields(link)})
  return reply(link)
}

function reply(link: LinkRow): unknown {
  return link.auth ? {ph: link.ph, w: link.auth} : link.ph
}
