import {decryptAttributes} from '../crypto/attributes.js'
import {foldKey, parseKeyField} from '../crypto/node-key.js'
import type {RsaPrivateKey} from '../crypto/rsa.js'
import {MegaError, SessionExpiredError} from '../errors.js'
import {retryWhileBusy} from '../store/busy-retry.js'
import type {NodeStore} from '../store/node-store.js'
import type {MetaStore} from '../store/meta-store.js'
import type {ContactStore} from '../store/contact-store.js'
import type {ShareStore} from '../store/share-store.js'
import type {ApiClient} from '../api/client.js'
import {decodeNode, mtimeFromFingerprint, type Keyring, type RawNode} from '../tree/node-decoder.js'
import type {NodeLink} from '../tree/node.js'
import {applyContactPacket, type ContactLists, loadContacts} from './contact-sync.js'
import {sendRequestedShareKeys, type ShareKeyRequest} from './share-key-requests.js'
import {applySharePacket, loadShares, noteInShare, type ShareLists, type SharePacket, type ShareSyncDeps} from './share-sync.js'

/** The `f` reply members the client reads (mega-api.md §4.2). */
interface FetchReply extends ContactLists, ShareLists {
  f: RawNode[]
  /** Old file versions, each under the file that replaced it (mega-api.md §4.2, §4.7). */
  f2?: RawNode[]
  ph?: LinkEntry[]
  sn?: string
}

/** A public link in `f.ph` and in `ph` packets (mega-api.md §1.5, §6.1; SDK procphelement, sc_ph). */
interface LinkEntry {
  h: string
  ph: string
  ts?: number
  ets?: number
  /** A writable folder link's auth key. */
  w?: string
}

function nodeLink(entry: LinkEntry): NodeLink {
  return {ph: entry.ph, created: entry.ts ?? 0, expires: entry.ets || null, authKey: entry.w || null}
}

/** Action packets (mega-api.md §1.5 catalogue). */
type ActionPacket =
  | {a: 't'; t: {f: RawNode[]}}
  | {a: 'u'; n: string; at: string; ts?: number}
  | {a: 'd'; n: string; m?: number}
  | ({a: 'ph'; d?: number} & LinkEntry)
  | {a: 'fa'; n: string; fa: string}
  | SharePacket
  | {a: 'k'; sr?: string[]}
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
  /** Where shares with other users are kept (absent: not tracked). */
  shares?: ShareStore
  /** The account's RSA private key, which opens the share keys owners send it. */
  privateKey?: () => RsaPrivateKey | undefined
  /** Keys of folders shared with us by the current SDK, which sends no RSA copy (account/peer-share-key.ts). */
  sdkShareKeys?: () => Promise<Map<string, Buffer>>
  /** Told of each change once it is in the cache (the background server's live feed passes it to services). */
  onChange?: (change: TreeChange) => void
}

/** What applying a batch of packets leaves to do once it is stored. */
export interface PacketOutcome {
  /** A share key arrived for nodes cached undecrypted: the tree must be fetched again. */
  reload: boolean
  /** Sharees the server asks our share keys for (`k` packets, share-key-requests.ts). */
  keyRequests: ShareKeyRequest[]
}

/** A change applied to the cache: a batch of action packets, or a full reload of the tree. */
export interface TreeChange {
  reloaded: boolean
  /** The action packets applied (mega-api.md §1.5; their other fields by `a`), empty for a reload. */
  packets: ReadonlyArray<{a: string}>
  sn?: string
}

const SN_KEY = 'sn'
/** The members of `f` that a reload takes node by node as they arrive: the tree and the old versions. */
const SPLIT_KEYS: ReadonlySet<string> = new Set(['f', 'f2'])
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
  if (!deps.folderKey) return reloadAccountTree(deps, request as {a: string})
  const reply = await deps.api.request<FetchReply>(request as {a: string})
  const folderKey = deps.folderKey
  await write(deps, () => {
    deps.nodes.clear()
    loadFolderLinkTree(deps, folderKey, reply.f ?? [])
  })
  deps.onChange?.({reloaded: true, packets: [], sn: reply.sn})
}

/**
 * The reload of an account: the nodes of `f` and `f2` are decrypted and written while the reply streams in
 * (api/reply-splitter.ts), so a million-node account never sits in memory whole, in one transaction that stays open
 * from the request to the last node (other processes keep reading the cache as it was until it commits). A node
 * keyed only under a share key the reply has not given yet (inside a folder shared with us: its key comes with the
 * share's top node, or for the current SDK's shares from elsewhere) waits until the rest of the reply is in.
 */
async function reloadAccountTree(deps: TreeSyncDeps, request: {a: string}): Promise<void> {
  const transaction = await retryWhileBusy(() => deps.nodes.beginWrite(), {maxWaitMs: WRITE_WAIT_MS})
  try {
    deps.nodes.clear()
    const loader = deps.nodes.bulkLoader()
    const inShareRoots: RawNode[] = []
    const waiting: RawNode[] = []
    const reply = await deps.api.requestSplit<FetchReply>(request, {keys: SPLIT_KEYS, onItems: (_key, items) => {
      for (const raw of items as RawNode[]) {
        if (isInShareRoot(deps, raw)) inShareRoots.push(raw)
        const node = decodeNode(raw, deps.keyring)
        if (node.key === null && raw.k && raw.u !== deps.keyring.userHandle) waiting.push(raw)
        else loader.add(node)
      }
    }})
    // A folder shared with us without our copy of its key (`sk`) was shared by the current SDK: its key is elsewhere.
    const sdkKeys = deps.sdkShareKeys && inShareRoots.some((raw) => !raw.sk) ? await deps.sdkShareKeys() : undefined
    const shares = shareDeps(deps)
    // Share keys (ours from `ok`, the sharee copies from the tops of folders shared with us), then the nodes keyed
    // under them.
    if (shares) loadShares(shares, {...reply, f: inShareRoots}, sdkKeys)
    for (const raw of waiting) loader.add(decodeNode(raw, deps.keyring))
    loader.finish()
    for (const link of reply.ph ?? []) deps.nodes.setLink(link.h, nodeLink(link))
    if (deps.contacts) loadContacts(deps.contacts, reply)
    deps.meta.set(SN_KEY, reply.sn)
    transaction.commit()
    deps.onChange?.({reloaded: true, packets: [], sn: reply.sn})
  } finally {
    transaction.rollback()
  }
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

function isInShareRoot(deps: TreeSyncDeps, raw: RawNode): boolean {
  return raw.su !== undefined && raw.su !== deps.keyring.userHandle
}

/** The part of the deps that applying shares needs, when shares are tracked. */
function shareDeps(deps: TreeSyncDeps): ShareSyncDeps | undefined {
  if (!deps.shares) return undefined
  return {nodes: deps.nodes, shares: deps.shares, userHandle: deps.keyring.userHandle, masterKey: deps.masterKey, privateKey: deps.privateKey ?? (() => undefined)}
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
    let outcome: PacketOutcome = {reload: false, keyRequests: []}
    await write(deps, () => {
      outcome = applyPackets(deps, packets)
      if (outcome.keyRequests.length === 0) deps.meta.set(SN_KEY, next)
    })
    // The sequence number moves past a request for share keys only once they are sent: should sending fail, the
    // next catch-up gets the same packets again (applying them twice changes nothing) and retries.
    if (outcome.keyRequests.length > 0) {
      const {masterKey, keyring: {userHandle}} = deps
      if (masterKey && userHandle) await sendRequestedShareKeys(deps.api, deps.nodes, {handle: userHandle, masterKey}, outcome.keyRequests)
      await write(deps, () => deps.meta.set(SN_KEY, next))
    }
    deps.onChange?.({reloaded: false, packets, sn: next})
    if (outcome.reload) return reloadTree(deps).then(() => undefined)
    if (!next) return undefined
    sn = next
  }
  return undefined
}

/** Applies one `a` array. A `d` with `m:1` followed by a `t` of the same node is a move (mega-api.md §4.4). */
export function applyPackets(deps: TreeSyncDeps, packets: ActionPacket[]): PacketOutcome {
  const moving = new Set<string>()
  const outcome: PacketOutcome = {reload: false, keyRequests: []}
  const shares = shareDeps(deps)
  for (const packet of packets) {
    switch (packet.a) {
      case 't': {
        const raws = (packet as {t: {f: RawNode[]}}).t.f ?? []
        // A folder newly shared with us comes as its tree, the top carrying the share and its key; without the key
        // (shared by the current SDK), a reload fetches it.
        if (shares) for (const raw of raws) noteInShare(shares, raw)
        if (deps.sdkShareKeys && raws.some((raw) => isInShareRoot(deps, raw) && !raw.sk)) outcome.reload = true
        for (const raw of raws) {
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
        // The server tells the legacy dialect nothing of versions: a file that became a version of the file
        // replacing it leaves the visible tree with a `d` (server handlers/nodes.ts putNodes), while deleting a
        // version sends that dialect nothing. A `d` for a node this cache holds as a version (it made that
        // version itself, file-commits.ts) is therefore the former, and the version stays.
        else if (!isCachedVersion(deps, n)) deps.nodes.deleteTree(n)
        break
      }
      case 'ph': {
        const link = packet as LinkEntry & {d?: number}
        deps.nodes.setLink(link.h, link.d ? null : nodeLink(link))
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
        // Shares made, changed or ended, ours or others' with us (share-sync.ts). The owner's copy of a share key
        // (`ok`) comes with a folder shared or exported; later uploads into it need it for `cr`.
        if (shares && applySharePacket(shares, packet as SharePacket)) outcome.reload = true
        break
      }
      case 'pk': {
        // Share keys waiting for us (the current SDK's way): a reload takes them when a shared folder lacks its key.
        if (shares?.shares.inShares().some((share) => deps.nodes.get(share.node)?.key === null)) outcome.reload = true
        break
      }
      case 'k': {
        // The server asks for a share key for a sharee that has none yet (a pending share accepted).
        const sr = (packet as {sr?: unknown}).sr
        if (Array.isArray(sr)) for (let i = 0; i + 1 < sr.length; i += 2) outcome.keyRequests.push({share: String(sr[i]), user: String(sr[i + 1])})
        break
      }
      default:
        if (deps.contacts) applyContactPacket(deps.contacts, packet)
        break
    }
  }
  for (const handle of moving) deps.nodes.deleteTree(handle)
  return outcome
}

function isCachedVersion(deps: TreeSyncDeps, handle: string): boolean {
  const node = deps.nodes.get(handle)
  return node !== undefined && deps.nodes.isVersion(node)
}
