import {decryptAttributes, type NodeAttributes} from '../crypto/attributes.js'
import {b64decode} from '../crypto/base64.js'
import {ecbDecryptor} from '../crypto/aes.js'
import {foldKey, parseKeyField} from '../crypto/node-key.js'
import {rsaDecrypt, type RsaPrivateKey} from '../crypto/rsa.js'
import {type MegaNode, NodeType, ROOT_NAMES} from './node.js'

/** A node as the API sends it in `f`, `p` replies and `t` packets (mega-api.md §4.2). */
export interface RawNode {
  h: string
  p?: string
  u?: string
  t: number
  a?: string
  k?: string
  s?: number
  ts?: number
  fa?: string
  /** On the top of a folder shared with us: its owner, our copy of the share key, our access, when it was shared. */
  su?: string
  sk?: string
  r?: number
  sts?: number
}

/** The keys a session can decrypt nodes with. */
export interface Keyring {
  userHandle: string | null
  masterKey: Buffer | null
  /** Share keys by share-root (or folder-link root) handle. */
  shareKey(handle: string): Buffer | undefined
  /** The account's RSA private key: it opens the keys of nodes other users delivered to its inbox. */
  privateKey?: () => RsaPrivateKey | undefined
}

// b64 of a 16-byte key is 22 chars, of 32 bytes 43; longer ones are RSA-encrypted (SDK decryptkey).
const MAX_SYMMETRIC_KEY_CHARS = 43

/** Turns API nodes into cache nodes: picks the key pair we can open and decrypts the attributes. */
export function decodeNode(raw: RawNode, keys: Keyring): MegaNode {
  const type = raw.t as NodeType
  const base: MegaNode = {
    handle: raw.h,
    parent: raw.p || null,
    type,
    name: ROOT_NAMES[type] ?? '',
    size: raw.s ?? 0,
    ts: raw.ts ?? 0,
    mtime: null,
    owner: raw.u ?? null,
    key: null,
    attrs: {},
    fa: raw.fa ?? null,
    link: null,
  }
  if (type !== NodeType.FILE && type !== NodeType.FOLDER) return base
  const key = raw.k ? decryptKey(raw.k, keys, type) : null
  const attrs = key && raw.a ? decryptAttributes(foldKey(key), raw.a) : null
  if (!key || !attrs) return {...base, name: '[undecryptable]'}
  return {...base, key, attrs, name: typeof attrs.n === 'string' ? attrs.n : '', mtime: mtimeFromFingerprint(attrs)}
}

// One ECB context per wrapping key: a reload opens the keys of a million nodes with the same master key, and a new
// OpenSSL context for each cost more than the decryption itself.
const decryptors = new WeakMap<Buffer, (data: Uint8Array) => Buffer>()

function keyDecryptor(wrapping: Buffer): (data: Uint8Array) => Buffer {
  let decryptor = decryptors.get(wrapping)
  if (!decryptor) decryptors.set(wrapping, (decryptor = ecbDecryptor(wrapping)))
  return decryptor
}

function decryptKey(field: string, keys: Keyring, type: NodeType): Buffer | null {
  for (const {id, key} of parseKeyField(field)) {
    if (key.length > MAX_SYMMETRIC_KEY_CHARS) {
      if (id === keys.userHandle) return decryptRsaNodeKey(key, keys, type)
      continue
    }
    const wrapping = id === keys.userHandle ? keys.masterKey : keys.shareKey(id)
    if (!wrapping) continue
    const decrypted = keyDecryptor(wrapping)(b64decode(key))
    if (decrypted.length === 16 || decrypted.length === 32) return decrypted
  }
  return null
}

/**
 * A node key MEGA-RSA-encrypted to us: what another user sent to our inbox (SDK PubKeyActionPutNodes encrypts each
 * node key to the recipient's public key; MegaClient::decryptkey opens it with the private key, keeping the first
 * 32 bytes of a file's key, 16 of a folder's; megajs loadMetadata does the same).
 */
function decryptRsaNodeKey(key: string, keys: Keyring, type: NodeType): Buffer | null {
  const privateKey = keys.privateKey?.()
  if (!privateKey) return null
  try {
    return rsaDecrypt(privateKey, b64decode(key)).subarray(0, type === NodeType.FILE ? 32 : 16)
  } catch {
    return null
  }
}

/**
 * The fingerprint attribute `c` is b64(16 CRC bytes ‖ Serialize64(mtime)), Serialize64 being one length byte
 * then the value little-endian (mega-api.md §2.5; SDK FileFingerprint::serialize, Serialize64).
 */
export function mtimeFromFingerprint(attrs: NodeAttributes): number | null {
  if (typeof attrs.c !== 'string') return null
  const bytes = b64decode(attrs.c)
  if (bytes.length < 18) return null
  const length = bytes[16]
  if (length > 8 || bytes.length < 17 + length) return null
  let value = 0
  for (let i = length - 1; i >= 0; i--) value = value * 256 + bytes[17 + i]
  return value
}
