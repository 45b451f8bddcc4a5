import {aesEcbDecrypt, aesEcbEncrypt} from '../crypto/aes.js'
import {decryptAttributes} from '../crypto/attributes.js'
import {b64decode, b64encode} from '../crypto/base64.js'
import {foldKey, parseKeyField} from '../crypto/node-key.js'
import {MegaError, SessionExpiredError} from '../errors.js'
import {retryWhileBusy} from '../store/busy-retry.js'
import type {NodeStore} from '../store/node-store.js'
import type {MetaStore} from '../store/meta-store.js'
import type {ContactStore} from '../store/contact-store.js'
import type {ApiClient} from '../api/client.js'
import {decodeNode, mtimeFromFingerprint, type Keyring, type RawNode} from '../tree/node-decoder.js'
import {applyContactPacket, type ContactLists, loadContacts} from './contact-sync.js'

/** The `f` reply members the client reads (mega-api.md §4.2). */
interface FetchReply extends ContactLists {
  f: RawNode[]
  ok?: Array<{h: string; k: string; ha: string}>
  ph?: Array<{h: string; ph: string}>
  sn?: string
}

/** Action packets (mega-api.md §1.5 catalogue). */
type ActionPacket =
  | {a: 't'; t: {f: RawNode[]}}
  | {a: 'u'; n: string; at: string; ts?: number}
  | {a: 'd'; n: string; m?: number}
  | {a: 'ph'; h: string; ph: string; d?: number}
  | {a: 'fa'; n: string; fa: string}
  | {a: 's' | 's2'; n: string; ok?: string; ha?: string; okd?: number}
  | {a: string}

type ScReply = number | {a?: ActionPacket[]; sn?: string; w?: string}

export interface TreeSyncDeps {
  api: ApiClient
  nodes: NodeStore
  meta: MetaStore
  keyring: Keyring
  masterKey: Buffer | null
  /** In a folder-link session: the link's key, the share key of the exported folder (mega-api.md §5.4). */
  folderKey?: Buffer
  /** Where contacts and pending contact requests are kept (absent: not tracked). */
  contacts?: ContactStore
  /** Told of each change once it is in the cache (the background server's live feed passes it to services). */
  onChange?: (change: TreeChange) => void
}

/** A change applied to the cache: a batch of action packets, or a full reload of the tree. */
export interface TreeChange {
  reloaded: boolean
  /** The action packets applied (mega-api.md §1.5), empty for a reload. */
  packets: ReadonlyArray<{a: string; [field: string]: unknown}>
  sn?: string
}

const SN_KEY = 'sn'
/** Handle of the exported folder of a folder-link session, set by its reload. */
export const FOLDER_ROOT_KEY = 'folder-root'
// Bound on catch-up rounds in one command, so a busy account cannot keep a command from starting.
const MAX_ROUNDS = 50
// Another process (a reload of a large tree) may hold the cache's write lock for long: wait rather than fail.
const WRITE_WAIT_MS = 120_000

function write(deps: TreeSyncDeps, fn: () => void): Promise<void> {
  return retryWhileBusy(() => deps.nodes.transaction(fn), {maxWaitMs: WRITE_WAIT_MS})
}

/**
 * Full reload: the whole tree from `f`, replacing the cache, with the sequence number to follow from. In a
 * folder-link session the request is the one megatools and the SDK send with `&n=` (`r:1`), and the reply
 * has no `sn`: there is nothing to catch up with, so each command reloads (mega-api.md §4.2).
 */
export async function reloadTree(deps: TreeSyncDeps, request: object = deps.folderKey ? {a: 'f', c: 1, r: 1} : {a: 'f', c: 1}): Promise<void> {
  const reply = await deps.api.request<FetchReply>(request as {a: string})
  await write(deps, () => {
    deps.nodes.clear()
    if (deps.folderKey) {
      loadFolderLinkTree(deps, deps.folderKey, reply.f ?? [])
      return
    }
    for (const ok of reply.ok ?? []) {
      if (deps.masterKey && verifyHandleAuth(deps.masterKey, ok.h, ok.ha)) {
        deps.nodes.setShareKey(ok.h, aesEcbDecrypt(deps.masterKey, b64decode(ok.k)))
      }
    }
    for (const raw of reply.f ?? []) deps.nodes.upsert(decodeNode(raw, deps.keyring))
    for (const link of reply.ph ?? []) deps.nodes.setLink(link.h, link.ph)
    if (deps.contacts) loadContacts(deps.contacts, reply)
    deps.meta.set(SN_KEY, reply.sn)
  })
  deps.onChange?.({reloaded: true, packets: [], sn: reply.sn})
}

/**
 * The exported folder is the node keyed under its own handle (megajs File.loadAttributes), else the first
 * one (megatools takes f[0]); the link's key is its share key. It is kept without a parent, as the root of
 * the session's paths.
 */
function loadFolderLinkTree(deps: TreeSyncDeps, folderKey: Buffer, raws: RawNode[]): void {
  const root = raws.find((raw) => raw.k !== undefined && parseKeyField(raw.k).some((pair) => pair.id === raw.h)) ?? raws[0]
  if (!root) throw new MegaError(-9, 'the folder link has no folder')
  deps.nodes.setShareKey(root.h, folderKey)
  for (const raw of raws) deps.nodes.upsert(decodeNode(raw === root ? {...raw, p: undefined} : raw, deps.keyring))
  deps.meta.set(FOLDER_ROOT_KEY, root.h)
  deps.meta.set(SN_KEY, undefined)
}

/**
 * `ha` = AES-ECB(masterKey, H ‖ H) with H the node handle's 8 b64 characters; an `ok` entry whose `ha` does
 * not match must be ignored (mega-api.md §2.7; SDK MegaClient::handleauth).
 */
function verifyHandleAuth(masterKey: Buffer, handle: string, ha: string): boolean {
  const h = Buffer.from(handle + handle, 'ascii')
  return h.length === 16 && b64encode(aesEcbEncrypt(masterKey, h)) === ha
}

/**
 * Brings the cache up to date: one `sc` round trip when nothing changed (the reply is a wait URL), applying
 * action packets otherwise; a full reload when there is no sequence number or the server says it is too old
 * (-6 ETOOMANY, mega-api.md §1.5). Returns the wait URL once caught up (the long poll that ends when something
 * changes, for a process that follows changes), or undefined when the round ended another way.
 */
export async function catchUp(deps: TreeSyncDeps): Promise<string | undefined> {
  let sn = deps.meta.get(SN_KEY)
  if (!sn) return reloadTree(deps).then(() => undefined)
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let reply: ScReply
    try {
      reply = (await deps.api.transport.post('sc', {sn})) as ScReply
    } catch (error) {
      throw error instanceof MegaError ? error : new MegaError(-18, `cannot reach the MEGA API (${(error as Error).message})`)
    }
    if (typeof reply === 'number') {
      if (reply === -15) throw new SessionExpiredError()
      if (reply === -3 || reply === -4) {
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** Math.min(round, 5)))
        continue
      }
      return reloadTree(deps).then(() => undefined)
    }
    if (reply.w || !reply.a) {
      const caughtUp = reply.sn
      if (caughtUp && caughtUp !== sn) await write(deps, () => deps.meta.set(SN_KEY, caughtUp))
      return reply.w
    }
    const packets = reply.a
    const next = reply.sn
    await write(deps, () => {
      applyPackets(deps, packets)
      deps.meta.set(SN_KEY, next)
    })
    deps.onChange?.({reloaded: false, packets, sn: next})
    if (!next) return undefined
    sn = next
  }
  return undefined
}

/** Applies one `a` array. A `d` with `m:1` followed by a `t` of the same node is a move (mega-api.md §4.4). */
export function applyPackets(deps: TreeSyncDeps, packets: ActionPacket[]): void {
  const moving = new Set<string>()
  for (const packet of packets) {
    switch (packet.a) {
      case 't': {
        for (const raw of (packet as {t: {f: RawNode[]}}).t.f ?? []) {
          // A moved node keeps its subtree: its `d` (m:1) only marked it, so re-adding it re-parents it.
          moving.delete(raw.h)
          const known = deps.nodes.get(raw.h)
          deps.nodes.upsert({...decodeNode(raw, deps.keyring), link: known?.link ?? null})
        }
        break
      }
      case 'u': {
        const {n, at} = packet as {n: string; at: string}
        const node = deps.nodes.get(n)
        const attrs = node?.key ? decryptAttributes(foldKey(node.key), at) : null
        if (node && attrs) {
          deps.nodes.upsert({...node, attrs, name: typeof attrs.n === 'string' ? attrs.n : node.name, mtime: mtimeFromFingerprint(attrs)})
        }
        break
      }
      case 'd': {
        const {n, m} = packet as {n: string; m?: number}
        if (m === 1) moving.add(n)
        else deps.nodes.deleteTree(n)
        break
      }
      case 'ph': {
        const {h, ph, d} = packet as {h: string; ph: string; d?: number}
        deps.nodes.setLink(h, d ? null : ph)
        break
      }
      case 'fa': {
        const {n, fa} = packet as {n: string; fa: string}
        const node = deps.nodes.get(n)
        if (node) deps.nodes.upsert({...node, fa})
        break
      }
      case 's':
      case 's2': {
        // The owner's copy of a share key (`ok`, checked with `ha`) arrives when a folder is shared or
        // exported, and `okd` drops it (SDK sc_shares); later uploads into it need it for `cr`.
        const {n, ok, ha, okd} = packet as {n: string; ok?: string; ha?: string; okd?: number}
        if (okd) deps.nodes.deleteShareKey(n)
        else if (ok && ha && deps.masterKey && verifyHandleAuth(deps.masterKey, n, ha)) deps.nodes.setShareKey(n, aesEcbDecrypt(deps.masterKey, b64decode(ok)))
        break
      }
      default:
        if (deps.contacts) applyContactPacket(deps.contacts, packet)
        break
    }
  }
  for (const handle of moving) deps.nodes.deleteTree(handle)
}
