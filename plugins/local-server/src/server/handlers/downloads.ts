import {ApiCode, fail} from '../protocol/api-error.js'
import {flag, optString, type ApiCommand} from '../protocol/command-fields.js'
import {isExpired} from '../stores/link-store.js'
import {NodeType, type NodeRow} from '../stores/node-store.js'
import {Access} from '../stores/share-store.js'
import type {CommandContext, CommandTable} from './command-context.js'
import {nodeWithAccess} from './node-access.js'

/** `g`: a file's size, attributes and download URL; the bytes are sent by download-server.ts. */
export const downloadCommands: CommandTable = {
  g: {auth: 'none', run: getFile},
}

/**
 * `g` (mega-api.md §5.3): `n` a node the session can read (its own, or in a folder shared with it), `n` inside the folder link given by `&n=`, or `p` a public
 * file link (no session needed). Reply {s, at, [fa], [g]}: the URL only when `g:1` was asked for (megajs
 * reads a file link's size and name with a bare `{a:"g", p}`), always http since this server has no TLS.
 */
function getFile(cmd: ApiCommand, ctx: CommandContext): unknown {
  const node = resolveFile(cmd, ctx)
  if (node.type !== NodeType.FILE || !node.blob) fail(ApiCode.EARGS, 'not a file')
  const reply: Record<string, unknown> = {s: node.size ?? 0, at: node.attrs}
  if (node.fa) reply.fa = node.fa
  if (flag(cmd, 'g')) reply.g = `${ctx.baseUrl}dl/${node.blob}`
  return reply
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
