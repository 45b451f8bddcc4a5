import {aesEcbEncrypt} from '../crypto/aes.js'
import {b64encode} from '../crypto/base64.js'
import {decryptNodeKey} from '../crypto/node-key.js'
import type {MegaContext} from '../session/context.js'
import type {MegaNode} from '../tree/node.js'

/** `cr` = [[share handles], [node handles], [shareIdx, nodeIdx, b64 key, …]] (mega-api.md §2.7). */
export type CryptoRequest = [string[], string[], Array<number | string>]

/** The folders at or above `node` that the account shares (exported folders included), with their share keys. */
function enclosingShares(ctx: MegaContext, node: MegaNode): Array<{handle: string; key: Buffer}> {
  const shares: Array<{handle: string; key: Buffer}> = []
  let current: MegaNode | undefined = node
  for (let guard = 0; current && guard < 10000; guard++) {
    const key = ctx.nodes.shareKey(current.handle)
    if (key) shares.push({handle: current.handle, key})
    current = current.parent ? ctx.nodes.get(current.parent) : undefined
  }
  return shares
}

/**
 * The keys of nodes created under a shared folder, also under each enclosing share key, so the people the
 * folder is shared with (or who hold its link) can open them. `h` values name the new nodes (placeholders
 * or upload tokens) as the webclient does (upload2.js `req.cr[1][0] = req.n[0].h`; megajs
 * makeCryptoRequest). Undefined when nothing above `parent` is shared.
 */
export function cryptoRequestForNewNodes(ctx: MegaContext, parent: MegaNode, nodes: Array<{h: string; k: string}>, masterKey: Buffer): CryptoRequest | undefined {
  const shares = enclosingShares(ctx, parent)
  if (shares.length === 0) return undefined
  const triplets: Array<number | string> = []
  nodes.forEach((node, i) => {
    const plain = decryptNodeKey(masterKey, node.k)
    shares.forEach((share, s) => triplets.push(s, i, b64encode(aesEcbEncrypt(share.key, plain))))
  })
  return [shares.map((s) => s.handle), nodes.map((n) => n.h), triplets]
}

/**
 * The keys of a folder's whole subtree (the folder included) under its new share key, sent with the `s2` that
 * shares or exports it, so its sharees and the link's readers can open every node (mega-api.md §2.7, §6.1; SDK
 * CommandSetShare for a fresh share: TreeProcShareKeys; megajs shareFolder). Nodes whose key is unknown are left out.
 */
export function cryptoRequestForShare(share: MegaNode, shareKey: Buffer, subtree: MegaNode[]): CryptoRequest {
  const withKeys = subtree.filter((node): node is MegaNode & {key: Buffer} => node.key !== null)
  const triplets: Array<number | string> = []
  withKeys.forEach((node, i) => triplets.push(0, i, b64encode(aesEcbEncrypt(shareKey, node.key))))
  return [[share.handle], withKeys.map((node) => node.handle), triplets]
}
