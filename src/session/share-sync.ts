import {aesEcbDecrypt} from '../crypto/aes.js'
import {b64decode} from '../crypto/base64.js'
import type {RsaPrivateKey} from '../crypto/rsa.js'
import {decryptShareKey, verifyHandleAuth} from '../crypto/share-key.js'
import type {NodeStore} from '../store/node-store.js'
import type {ShareAccess, ShareStore} from '../store/share-store.js'
import type {RawNode} from '../tree/node-decoder.js'

/** The pseudo-user of folder links among a folder's shares (mega-api.md §6.1). */
const EXPORT_USER = 'EXP'

/** What applying shares needs: the stores, and the keys that open share keys. */
export interface ShareSyncDeps {
  nodes: NodeStore
  shares: ShareStore
  userHandle: string | null
  masterKey: Buffer | null
  /** The account's RSA private key, which opens the share keys owners send it. */
  privateKey: () => RsaPrivateKey | undefined
}

/** The share members of an `f` reply (SDK CommandFetchNodes: `s`, `ps` → readoutshares; `ok`/`ok0` → readok). */
export interface ShareLists {
  ok?: Array<{h: string; k: string; ha: string}>
  s?: Array<{h: string; u: string; r: number; ts?: number}>
  ps?: Array<{h: string; p: string; r: number; ts?: number}>
}

/**
 * An `s`/`s2` packet (SDK MegaClient::sc_shares): `n` the folder, `o` its owner, `u` the sharee (or EXP), `r` the
 * access (none: the share ended), `ts`, `k` the sharee's copy of the key, `ok`/`ha` the owner's, `okd` the owner's
 * key dropped, `p` a pending share's contact request, `op` pending turned into a share.
 */
export interface SharePacket {
  a: 's' | 's2'
  n: string
  o?: string
  u?: string
  r?: number
  ts?: number
  k?: string
  ok?: string
  ha?: string
  okd?: number
  p?: string
  op?: number
}

/**
 * Replaces the cached shares with those of a full `f` reply; the keys of our shared folders first. `sdkKeys` are
 * keys of folders shared with us that the reply carries no copy of (account/peer-share-key.ts).
 */
export function loadShares(deps: ShareSyncDeps, reply: ShareLists & {f?: RawNode[]}, sdkKeys?: Map<string, Buffer>): void {
  deps.shares.clear()
  for (const ok of reply.ok ?? []) setOwnerKey(deps, ok.h, ok.k, ok.ha)
  for (const s of reply.s ?? []) {
    if (s.u !== EXPORT_USER) deps.shares.setOutShare({node: s.h, user: s.u, access: s.r as ShareAccess, ts: s.ts ?? 0, pending: false})
  }
  for (const p of reply.ps ?? []) deps.shares.setOutShare({node: p.h, user: p.p, access: p.r as ShareAccess, ts: p.ts ?? 0, pending: true})
  for (const raw of reply.f ?? []) {
    noteInShare(deps, raw)
    const key = raw.sk ? undefined : sdkKeys?.get(raw.h)
    if (key && deps.shares.inShare(raw.h)) deps.nodes.setShareKey(raw.h, key)
  }
}

/**
 * A node that carries `su` is the top of a folder someone shares with us (SDK readnode, "inbound share
 * attributes"): its share is recorded and its key (`sk`) opened, before the nodes keyed under it are decoded.
 */
export function noteInShare(deps: ShareSyncDeps, raw: RawNode): void {
  if (!raw.su || raw.su === deps.userHandle) return
  deps.shares.setInShare({node: raw.h, owner: raw.su, access: (raw.r ?? 0) as ShareAccess, ts: raw.sts ?? raw.ts ?? 0})
  if (raw.sk) setShareKey(deps, raw.h, raw.sk)
}

/**
 * Applies one `s`/`s2` packet. Returns true when a share key arrived for a folder whose nodes the cache holds
 * undecrypted (a pending share whose key its owner sent later): only a reload can decode them.
 */
export function applySharePacket(deps: ShareSyncDeps, packet: SharePacket): boolean {
  const {n, o, u, r, p} = packet
  const me = deps.userHandle
  if (o === undefined && u === undefined) return packet.k ? setShareKey(deps, n, packet.k) : false
  if (o === me) {
    if (packet.okd) deps.nodes.deleteShareKey(n)
    else if (packet.ok && packet.ha) setOwnerKey(deps, n, packet.ok, packet.ha)
    if (p !== undefined) {
      deps.shares.removeOutShare(n, p)
      if (packet.op && u !== undefined) deps.shares.setOutShare({node: n, user: u, access: (r ?? 0) as ShareAccess, ts: packet.ts ?? 0, pending: false})
      else if (r !== undefined) deps.shares.setOutShare({node: n, user: p, access: r as ShareAccess, ts: packet.ts ?? 0, pending: true})
    } else if (u !== undefined && u !== EXPORT_USER) {
      if (r === undefined) deps.shares.removeOutShare(n, u)
      else deps.shares.setOutShare({node: n, user: u, access: r as ShareAccess, ts: packet.ts ?? 0, pending: false})
    }
    return false
  }
  if (u !== me || o === undefined) return false
  if (r === undefined) {
    // The share ended (the owner stopped it, or we left): its tree goes (SDK: "incoming share deleted - remove tree").
    deps.nodes.deleteTree(n)
    deps.nodes.deleteShareKey(n)
    deps.shares.removeInShare(n)
    return false
  }
  deps.shares.setInShare({node: n, owner: o, access: r as ShareAccess, ts: packet.ts ?? 0})
  return packet.k ? setShareKey(deps, n, packet.k) : false
}

/** The owner's copy of a share key, taken only when its `ha` authenticates it (mega-api.md §2.7). */
function setOwnerKey(deps: ShareSyncDeps, handle: string, ok: string, ha: string): void {
  if (deps.masterKey && verifyHandleAuth(deps.masterKey, handle, ha)) deps.nodes.setShareKey(handle, aesEcbDecrypt(deps.masterKey, b64decode(ok)))
}

/** A sharee's copy of a share key; true when the folder is cached without the key it now has. */
function setShareKey(deps: ShareSyncDeps, handle: string, encrypted: string): boolean {
  const key = decryptShareKey(encrypted, deps)
  if (!key) return false
  const known = deps.nodes.shareKey(handle)
  deps.nodes.setShareKey(handle, key)
  const root = deps.nodes.get(handle)
  return Boolean(root && root.key === null && !known?.equals(key))
}
