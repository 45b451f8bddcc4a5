import {ApiCode, fail} from '../protocol/api-error.js'
import {isB64} from '../protocol/command-fields.js'
import type {CommandContext} from './command-context.js'

/**
 * A crypto request `cr` = [[share handles], [node handles], [shareIdx, nodeIdx, b64 key, …]] attached to
 * `p`, `m` or `s2` (mega-api.md §2.7; megajs makeCryptoRequest, SDK CommandKeyCR). Each triplet becomes a
 * `<shareHandle>:<key>` pair on that node, which is how a folder link's readers get node keys. Node handles
 * may name nodes created by the same `p` (placeholders or upload tokens); `resolve` maps those.
 * Shares must be folders of the caller that carry a share key; anything else is EARGS / ENOENT.
 */
export function applyCryptoRequest(ctx: CommandContext, owner: string, cr: unknown, resolve: (handle: string) => string = (h) => h): void {
  if (cr === undefined || cr === null) return
  if (!Array.isArray(cr) || cr.length < 3 || !Array.isArray(cr[0]) || !Array.isArray(cr[1]) || !Array.isArray(cr[2])) {
    fail(ApiCode.EARGS, 'malformed cr')
  }
  const [shares, nodes, triplets] = cr as [unknown[], unknown[], unknown[]]
  const store = ctx.server.nodes
  for (const share of shares) {
    if (typeof share !== 'string') fail(ApiCode.EARGS, 'malformed cr share')
    store.owned(share, owner)
    if (!ctx.server.shares.shareKey(share)) fail(ApiCode.EARGS, 'cr names a folder that is not shared')
  }
  for (let i = 0; i + 2 < triplets.length; i += 3) {
    const share = shares[Number(triplets[i])]
    const nodeRef = nodes[Number(triplets[i + 1])]
    const key = triplets[i + 2]
    if (typeof share !== 'string' || typeof nodeRef !== 'string' || typeof key !== 'string' || !isB64(key)) {
      fail(ApiCode.EARGS, 'malformed cr triplet')
    }
    const node = store.owned(resolve(nodeRef), owner)
    store.addSharePair(node.handle, share, key)
  }
}
