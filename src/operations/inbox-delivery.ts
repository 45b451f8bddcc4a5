import {randomBytes} from 'node:crypto'
import {encryptAttributes} from '../crypto/attributes.js'
import {b64encode} from '../crypto/base64.js'
import {foldKey} from '../crypto/node-key.js'
import {decodePublicKey, rsaEncrypt, type RsaPublicKey} from '../crypto/rsa.js'
import {failedTo} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import type {NewNode} from './remote-ops.js'

/** `user@example.com:` as a destination: that user's inbox (megacmd-reference.md §4, `cp`). */
export function inboxRecipient(destination: string): string | undefined {
  const match = /^([^/:]*@[^/:]*):$/.exec(destination)
  return match?.[1]
}

/**
 * Sends a copy of one of our files or folders (with all it holds) to another user's inbox, as MEGAcmd's
 * `cp <path> <email>:` does (megacmdexecuter.cpp copyNode → MegaApi::sendFileToUser). The SDK (MegaClient::
 * putnodes(user) → PubKeyActionPutNodes, src/pubkeyaction.cpp) fetches the user's public key (`uk`), encrypts every
 * node key to it and sends `p` with `t` = the user's handle (CommandPutNodes). Files keep their keys and data
 * (the server copies them by handle); folders get new keys and their attributes re-encrypted (SDK TreeProcCopy).
 * Failures read "Failed to send file to user: <error>" (MegaCmdExecuter::checkNoErrors): an unknown user is
 * ENOENT (the SDK's answer when `uk` finds no key).
 */
export async function sendToInbox(ctx: MegaContext, node: MegaNode, email: string): Promise<void> {
  ctx.requireWritable()
  try {
    const {u, pubk} = await ctx.api.request<{u: string; pubk: string}>({a: 'uk', u: email})
    const nodes = deliveryNodes(ctx, node, decodePublicKey(pubk))
    await ctx.api.request({a: 'p', t: u, n: nodes})
  } catch (error) {
    throw failedTo('send file to user', error)
  }
}

/** The subtree of `top` as new nodes, parents first, each key encrypted to `recipient`. */
function deliveryNodes(ctx: MegaContext, top: MegaNode, recipient: RsaPublicKey): NewNode[] {
  const nodes: NewNode[] = []
  const visit = (node: MegaNode, parent: string | undefined) => {
    if (!node.key) throw new Error(`Cannot send ${node.name}: its key is unknown`)
    const key = node.type === NodeType.FILE ? node.key : randomBytes(16)
    nodes.push({
      // A file is copied by its handle; a folder's handle is only a placeholder its children name as their parent.
      h: node.handle,
      t: node.type === NodeType.FILE ? NodeType.FILE : NodeType.FOLDER,
      a: encryptAttributes(node.type === NodeType.FILE ? foldKey(key) : key, node.attrs),
      k: b64encode(rsaEncrypt(recipient, key)),
      ...(parent ? {p: parent} : {}),
    })
    if (node.type !== NodeType.FILE) for (const child of ctx.nodes.children(node.handle)) visit(child, node.handle)
  }
  visit(top, undefined)
  return nodes
}
