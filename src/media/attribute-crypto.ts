import {aesCbcDecrypt, aesCbcEncrypt} from '../crypto/aes.js'

/**
 * File attributes travel encrypted with the file's AES key (the 16-byte key the node key folds to), AES-CBC
 * with a zero IV, zero-padded to 16 bytes (meganz/sdk src/megaclient.cpp `MegaClient::putfa`: `data->resize((size
 * + BLOCKSIZE - 1) & -BLOCKSIZE); key->cbc_encrypt(...)`; megajs `_uploadAttribute`). The padding stays on
 * after decryption: the SDK hands the padded JPEG to the application as it is (JPEG readers stop at the EOI
 * marker), so `thumbnail` saves exactly what the SDK saves.
 */
export function encryptAttribute(aesKey: Uint8Array, data: Uint8Array): Buffer {
  const padded = Buffer.alloc(Math.ceil(data.length / 16) * 16)
  padded.set(data)
  return aesCbcEncrypt(aesKey, padded)
}

export function decryptAttribute(aesKey: Uint8Array, data: Uint8Array): Buffer {
  return aesCbcDecrypt(aesKey, data.subarray(0, data.length - (data.length % 16)))
}
