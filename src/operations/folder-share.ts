import {randomBytes} from 'node:crypto'
import {aesEcbEncrypt} from '../crypto/aes.js'
import {b64encode} from '../crypto/base64.js'
import {decodePublicKey} from '../crypto/rsa.js'
import {ownerShareKey, SHARE_KEY_LENGTH, shareKeyForUser} from '../crypto/share-key.js'
import {sendShareKeyToPeer} from '../account/peer-share-key.js'
import {MegaError} from '../errors.js'
import type {MegaContext} from '../session/context.js'
import {Visibility} from '../store/contact-store.js'
import type {OutShare, ShareAccess} from '../store/share-store.js'
import type {MegaNode} from '../tree/node.js'
import {cryptoRequestForShare} from './crypto-request.js'

/** How a folder was shared: at once with a contact, or pending until someone who is not one accepts the invitation. */
export interface ShareOutcome {
  pending: boolean
}

/**
 * Shares one of our folders with a user by email, or changes the access of an existing share, with `s2`
 * (mega-api.md §6.2; SDK CommandSetShare as of 2021). The folder keeps the share key it has (shared or exported
 * already), else gets a new one, and then `cr` carries the keys of its nodes under it. The owner's copy goes as
 * `ok`/`ha`; the sharee's copy is MEGA-RSA-encrypted to its public key (`uk`), when it has an account. A contact
 * is named by handle and gets the share at once, and the key as the current SDK reads it too (pk, sendShareKeyToPeer);
 * anyone else by email, and the server makes the share pending and sends an invitation: its key is sent when the
 * invitee has accepted (share-key-requests.ts).
 */
export async function shareFolder(ctx: MegaContext, folder: MegaNode, email: string, access: ShareAccess): Promise<ShareOutcome> {
  const masterKey = ctx.requireWritable()
  const known = ctx.nodes.shareKey(folder.handle)
  const shareKey = known ?? randomBytes(SHARE_KEY_LENGTH)
  const contact = ctx.contacts.user(email)
  const isContact = contact?.visibility === Visibility.VISIBLE
  const k = await sharedKeyFor(ctx, isContact ? contact.handle : email, shareKey)
  const cr = known ? undefined : cryptoRequestForShare(folder, shareKey, ctx.nodes.subtree(folder.handle))
  const reply = await ctx.api.request<unknown>({
    a: 's2', n: folder.handle, s: [{u: isContact ? contact.handle : email, r: access, ...(k ? {k} : {})}],
    ...ownerShareKey(masterKey, folder.handle, shareKey), ...(cr ? {cr} : {}),
  })
  // `ok` in the reply: the server holds another key for this folder (SDK CommandSetShare::procresult → EKEY).
  if (reply !== null && typeof reply === 'object' && 'ok' in reply) throw new MegaError(-14)
  await ctx.recordChange(() => {
    ctx.nodes.setShareKey(folder.handle, shareKey)
    if (isContact) ctx.shares.setOutShare({node: folder.handle, user: contact.handle, access, ts: Math.floor(Date.now() / 1000), pending: false})
  })
  if (isContact) await sendShareKeyToPeer(ctx.api, {handle: ctx.requireSession().userHandle, masterKey}, contact.handle, folder.handle, shareKey)
  return {pending: !isContact}
}

/** The share key MEGA-RSA-encrypted to a user's public key; undefined for an email without an account. */
async function sharedKeyFor(ctx: MegaContext, user: string, shareKey: Buffer): Promise<string | undefined> {
  try {
    const {pubk} = await ctx.api.request<{pubk: string}>({a: 'uk', u: user})
    return shareKeyForUser(decodePublicKey(pubk), shareKey)
  } catch (error) {
    if (error instanceof MegaError && error.code === -9) return undefined
    throw error
  }
}

/**
 * Stops one share of one of our folders (`s2` without `r`), naming the sharee by handle or, for a pending share,
 * by the invitee's email. Before the folder's last share goes, the nodes sharees made in it get keys under our
 * master key (`k {nk}`, SDK MegaClient::rewriteforeignkeys): their copies under the share key go with it.
 */
export async function stopSharing(ctx: MegaContext, folder: MegaNode, share: OutShare, email: string): Promise<void> {
  const masterKey = ctx.requireWritable()
  const last = ctx.shares.outShares(folder.handle).length === 1 && folder.link === null
  if (last) await rewriteForeignKeys(ctx, folder, masterKey)
  await ctx.api.request({a: 's2', n: folder.handle, s: [{u: share.pending ? email : share.user}]})
  await ctx.recordChange(() => {
    ctx.shares.removeOutShare(folder.handle, share.user)
    // The server drops the folder's key with its last share (the `s2` packet then says okd).
    if (last) ctx.nodes.deleteShareKey(folder.handle)
  })
}

async function rewriteForeignKeys(ctx: MegaContext, folder: MegaNode, masterKey: Buffer): Promise<void> {
  const me = ctx.requireSession().userHandle
  const nk: string[] = []
  const visit = (node: MegaNode) => {
    if (node.key && node.owner !== null && node.owner !== me) nk.push(node.handle, b64encode(aesEcbEncrypt(masterKey, node.key)))
    for (const child of ctx.nodes.children(node.handle)) visit(child)
  }
  visit(folder)
  if (nk.length > 0) await ctx.api.request({a: 'k', nk})
}
