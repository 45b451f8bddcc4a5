import {ApiCode, fail} from '../protocol/api-error.js'
import {isB64} from '../protocol/command-fields.js'
import {Access} from '../stores/share-store.js'
import type {CommandContext} from './command-context.js'
import {nodeWithAccess} from './node-access.js'

/**
 * A crypto request `cr` = [[share handles], [node handles], [shareIdx, nodeIdx, b64 key, …]] attached to
 * `p`, `m`, `s2` or `k` (mega-api.md §2.7; megajs makeCryptoRequest, SDK CommandKeyCR). Each triplet becomes a
 * `<shareHandle>:<key>` pair on that node, which is how sharees and a folder link's readers get node keys. Node
 * handles may name nodes created by the same `p` (placeholders or upload tokens); `resolve` maps those.
 * The SDK's `p` lists no node handles (CommandPutNodes → ShareNodeKeys::get(c, skiphandles=true), src/commands.cpp
 * and src/sharenodekeys.cpp): there a triplet's node index is the node's index in the request's `n`, which
 * `implicitNodes` gives.
 * Shares must be shared folders the caller owns or may write into (a sharee adding nodes gives their keys under
 * the share key, SDK CommandPutNodes → ShareNodeKeys), and nodes the caller can see; anything else is EARGS /
 * ENOENT / EACCESS.
 */
export function applyCryptoRequest(ctx: CommandContext, caller: string, cr: unknown, resolve: (handle: string) => string = (h) => h, implicitNodes: readonly string[] = []): void {
  if (cr === undefined || cr === null) return
  if (!Array.isArray(cr) || cr.length < 3 || !Array.isArray(cr[0]) || !Array.isArray(cr[1]) || !Array.isArray(cr[2])) {
    fail(ApiCode.EARGS, 'malformed cr')
  }
  const [shares, listed, triplets] = cr as [unknown[], unknown[], unknown[]]
  const nodes = listed.length === 0 ? implicitNodes : listed
  const store = ctx.server.nodes
  for (const share of shares) {
    if (typeof share !== 'string') fail(ApiCode.EARGS, 'malformed cr share')
    nodeWithAccess(ctx.server, share, caller, Access.READWRITE)
    if (!ctx.server.shares.shareKey(share)) fail(ApiCode.EARGS, 'cr names a folder that is not shared')
  }
  for (let i = 0; i + 2 < triplets.length; i += 3) {
    const share = shares[Number(triplets[i])]
    const nodeRef = nodes[Number(triplets[i + 1])]
    const key = triplets[i + 2]
    if (typeof share !== 'string' || typeof nodeRef !== 'string' || typeof key !== 'string' || !isB64(key)) {
      fail(ApiCode.EARGS, 'malformed cr triplet')
    }
    const node = nodeWithAccess(ctx.server, resolve(nodeRef), caller, Access.READ)
    // A key under a share the node is not in would open nothing: it is left out.
    if (store.isWithin(node, share)) store.addSharePair(node.handle, share, key)
  }
}
