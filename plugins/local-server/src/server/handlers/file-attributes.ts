import {MAX_ATTRIBUTE_BYTES} from '../http/file-attribute-server.js'
import {ApiCode, fail} from '../protocol/api-error.js'
import {optNumber, optString, reqString, type ApiCommand} from '../protocol/command-fields.js'
import {mergeFa, normaliseFaField} from '../protocol/fa-field.js'
import {NodeType} from '../stores/node-store.js'
import {Access} from '../stores/share-store.js'
import {requireSession, type CommandContext, type CommandTable} from './command-context.js'
import {nodeWithAccess, viewersOf} from './node-access.js'

/** Thumbnails and previews: `ufa` hands out their URLs (file-attribute-server.ts), `pfa` attaches one to a file. */
export const fileAttributeCommands: CommandTable = {
  ufa: {auth: 'session', run: requestAttributeUrl},
  pfa: {auth: 'session', run: attachAttribute},
}

/** `ufa` → {p: url}; with `fah` the URL fetches attributes, otherwise it stores one (SDK CommandPutFA/GetFA). */
function requestAttributeUrl(cmd: ApiCommand, ctx: CommandContext): unknown {
  const user = requireSession(ctx).user
  const attributes = ctx.server.fileAttributes
  if (optString(cmd, 'fah')) return {p: `${ctx.baseUrl}fa/get/${attributes.newTicket(user, 'get')}`}
  const size = optNumber(cmd, 's')
  if (size !== undefined && (size < 0 || size > MAX_ATTRIBUTE_BYTES)) fail(ApiCode.EARGS, 'bad attribute size')
  return {p: `${ctx.baseUrl}fa/put/${attributes.newTicket(user, 'put')}`}
}

/**
 * `pfa` {n, fa:"<type>*<h>"} → the node's whole new fa string; an `fa` packet follows to everyone who sees the
 * node (SDK CommandAttachFA). In a shared folder write access is enough: a sharee's upload brings its thumbnail.
 */
function attachAttribute(cmd: ApiCommand, ctx: CommandContext): unknown {
  const me = requireSession(ctx).user
  const {nodes} = ctx.server
  const node = nodeWithAccess(ctx.server, reqString(cmd, 'n'), me, Access.READWRITE)
  if (node.type !== NodeType.FILE) fail(ApiCode.EARGS, 'file attributes belong to files')
  const added = normaliseFaField(cmd.fa)
  if (!added) fail(ApiCode.EARGS, 'bad fa')
  const fa = mergeFa(node.fa, added)
  nodes.setFa(node.handle, fa)
  for (const viewer of viewersOf(ctx.server, node)) ctx.emit(viewer, 'fa', {n: node.handle, fa})
  return fa
}
