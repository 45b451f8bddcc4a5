import {ApiCode, fail} from '../protocol/api-error.js'
import {flag, optNumber, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {NodeType} from '../stores/node-store.js'
import {EXPORT_USER} from '../stores/share-store.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'

/** Public links `l` (mega-api.md §6.1); a folder link's keys come with the folder's export share (`s2`, shares.ts). */
export const linkCommands: CommandTable = {
  l: {auth: 'session', run: exportNode},
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
  const {links, shares} = ctx.server
  const existing = links.byNode(node.handle)
  if (flag(cmd, 'd')) {
    if (!existing) fail(ApiCode.ENOENT, 'node is not exported')
    links.remove(node.handle)
    shares.removeShare(node.handle, EXPORT_USER)
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
