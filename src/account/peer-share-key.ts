import type {ApiClient} from '../api/client.js'
import {aesEcbDecrypt} from '../crypto/aes.js'
import {b64decode, b64encode} from '../crypto/base64.js'
import {shareKeysFromKeysAttribute} from '../crypto/keys-attribute.js'
import {pairwiseKey, shareKeyForPeer} from '../crypto/pairwise-key.js'
import {decryptTlv} from '../crypto/tlv.js'
import {MegaError} from '../errors.js'
import {fetchUserAttribute} from './user-attributes.js'

/** Our side of a `pk`: who we are and the master key that opens our `*keyring`. */
export interface KeyOwner {
  handle: string
  masterKey: Buffer
}

/**
 * Gives a sharee the share key the way the current SDK takes share keys: MEGAcmd 2.5.2 and the apps ignore the
 * RSA copy (`sk`, `k`) once their account keeps its keys in ^!keys (MegaClient::readnode drops `sk`,
 * MegaClient::sc_shares drops `k`). `pk {u, h, k}` with the key under our pairwise key (KeyManager::
 * encryptShareKeyTo, then promotePendingShares) reaches them. Both accounts need Cu25519 keys, which only the
 * SDK makes (its first login, MegaClient::initializekeys); without them nothing is sent (false) and such a
 * sharee shows the folder as "NO_KEY". The sharee's SDK opens the key once it has seen our Ed25519 key
 * (KeyManager::verificationRequired). Unlike the SDK we do not check the sharee's key signature (`+sigCu255`).
 */
export async function sendShareKeyToPeer(api: ApiClient, me: KeyOwner, user: string, share: string, shareKey: Buffer): Promise<boolean> {
  const pairwise = await pairwiseKeyWith(api, me, user)
  if (!pairwise) return false
  await api.request({a: 'pk', u: user, h: share, k: b64encode(shareKeyForPeer(pairwise, shareKey))})
  return true
}

/** Our pairwise key with `user`: undefined unless both of us have Cu25519 keys (pairwise-key.ts). */
async function pairwiseKeyWith(api: ApiClient, me: KeyOwner, user: string): Promise<Buffer | undefined> {
  const [keyring, peer] = await Promise.all([fetchUserAttribute(api, me.handle, '*keyring'), fetchUserAttribute(api, user, '+puCu255')])
  const own = keyring && decryptTlv(me.masterKey, keyring.value)?.prCu255
  return own?.length === 32 && peer?.value.length === 32 ? pairwiseKey(own, peer.value) : undefined
}

/**
 * The keys of folders shared with us the current SDK's way (its sharers send no RSA copy): those our account's SDK
 * sessions already took into `^!keys` (keys-attribute.ts), and those still waiting in `pk`, each under the
 * pairwise key with its sender (MegaClient::sc_pk → KeyManager::decryptShareKeyFrom). The waiting ones are only
 * read: acknowledging them (`pk {d}`) is left to the SDK, which must still file them in `^!keys`.
 */
export async function fetchSdkShareKeys(api: ApiClient, me: KeyOwner): Promise<Map<string, Buffer>> {
  const [stored, pending] = await Promise.all([
    fetchUserAttribute(api, me.handle, '^!keys'),
    api.request<Record<string, Record<string, string> | string>>({a: 'pk'}).catch((error: unknown) => {
      if (error instanceof MegaError && error.code === -9) return {}
      throw error
    }),
  ])
  const keys = stored ? shareKeysFromKeysAttribute(me.masterKey, stored.value) : new Map<string, Buffer>()
  for (const [sender, shares] of Object.entries(pending)) {
    if (typeof shares !== 'object') continue
    const pairwise = await pairwiseKeyWith(api, me, sender)
    if (!pairwise) continue
    for (const [share, key] of Object.entries(shares)) {
      const raw = b64decode(key)
      if (raw.length === 16 && !keys.has(share)) keys.set(share, aesEcbDecrypt(pairwise, raw))
    }
  }
  return keys
}
