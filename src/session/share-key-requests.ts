import {type KeyOwner, sendShareKeyToPeer} from '../account/peer-share-key.js'
import type {ApiClient} from '../api/client.js'
import {decodePublicKey} from '../crypto/rsa.js'
import {shareKeyForUser} from '../crypto/share-key.js'
import {MegaError} from '../errors.js'
import type {NodeStore} from '../store/node-store.js'

/** The server asking for the key of folder `share` for sharee `user` (a `k` packet `{sr:[share, user, …]}`). */
export interface ShareKeyRequest {
  share: string
  user: string
}

/**
 * Answers the server's requests for share keys: a folder shared with someone who was not a contact yet got no
 * key for them; once they accepted, the owner's client sends it, MEGA-RSA-encrypted to their public key (`uk`),
 * with `k {sr:[share, user, key, …]}` (SDK as of 2021: MegaClient::sc_keys → procsr → PubKeyActionSendShareKey →
 * CommandShareKeyUpdate), and as the current SDK reads share keys (`pk`, sendShareKeyToPeer). A folder whose key
 * this session does not hold, or a user without a public key (gone since), gets nothing: there is nothing to send.
 */
export async function sendRequestedShareKeys(api: ApiClient, nodes: NodeStore, me: KeyOwner, requests: ShareKeyRequest[]): Promise<void> {
  const sr: string[] = []
  await Promise.all(requests.map(async ({share, user}) => {
    const key = nodes.shareKey(share)
    if (!key) return
    let pubk: string
    try {
      pubk = (await api.request<{pubk: string}>({a: 'uk', u: user})).pubk
    } catch (error) {
      if (error instanceof MegaError && error.code === -9) return
      throw error
    }
    sr.push(share, user, shareKeyForUser(decodePublicKey(pubk), key))
    await sendShareKeyToPeer(api, me, user, share, key)
  }))
  if (sr.length > 0) await api.request({a: 'k', sr})
}
