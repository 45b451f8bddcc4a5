import {createHmac, createPrivateKey, createPublicKey, diffieHellman} from 'node:crypto'
import {aesEcbEncrypt} from './aes.js'

// DER prefixes of X25519 keys (RFC 8410): PKCS#8 for a private key, SPKI for a public one; 32 raw bytes follow.
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex')
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex')
/** SDK KeyManager::SVCRYPTO_PAIRWISE_KEY (src/megaclient.cpp). */
const PAIRWISE_INFO = Buffer.from('strongvelope pairwise key\x01', 'latin1')

/**
 * The key two users share without sending it (SDK KeyManager::computeSymmetricKey, src/megaclient.cpp): X25519
 * of one's Cu25519 private key (`prCu255` in the `*keyring` attribute) and the other's public one (`+puCu255`),
 * then HMAC-SHA256 keyed with nothing over that secret, then HMAC-SHA256 keyed with the result over
 * "strongvelope pairwise key\x01", cut to 16 bytes. The current SDK sends share keys under it (`pk`).
 */
export function pairwiseKey(ownCu25519Private: Uint8Array, peerCu25519Public: Uint8Array): Buffer {
  const privateKey = createPrivateKey({key: Buffer.concat([X25519_PKCS8, ownCu25519Private]), format: 'der', type: 'pkcs8'})
  const publicKey = createPublicKey({key: Buffer.concat([X25519_SPKI, peerCu25519Public]), format: 'der', type: 'spki'})
  const secret = diffieHellman({privateKey, publicKey})
  const step = createHmac('sha256', Buffer.alloc(0)).update(secret).digest()
  return createHmac('sha256', step).update(PAIRWISE_INFO).digest().subarray(0, 16)
}

/** A share key for one user, as the SDK sends it with `pk` (KeyManager::encryptShareKeyTo: AES-ECB under the pairwise key). */
export function shareKeyForPeer(pairwise: Uint8Array, shareKey: Uint8Array): Buffer {
  return aesEcbEncrypt(pairwise, shareKey)
}
