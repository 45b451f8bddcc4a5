import {join} from 'node:path'
import {ApiClient} from '../api/client.js'
import {sessionApiUrl} from '../api/api-url.js'
import {b64decode} from '../crypto/base64.js'
import {fetchSdkShareKeys} from '../account/peer-share-key.js'
import {decryptPrivateKey, type RsaPrivateKey} from '../crypto/rsa.js'
import {MegaError, NotFoundError, NotLoggedInError, SessionExpiredError} from '../errors.js'
import type {ContactStore} from '../store/contact-store.js'
import type {ShareStore} from '../store/share-store.js'
import {megaHome} from '../config/paths.js'
import {retryWhileBusy} from '../store/busy-retry.js'
import {type CacheRecovery, openCache, rebuildCache, recoveryNotice} from '../store/cache-recovery.js'
import {type Db, isDatabaseBusy} from '../store/database.js'
import type {MetaStore} from '../store/meta-store.js'
import type {NodeStore} from '../store/node-store.js'
import type {SubtreeQueries} from '../store/subtree-queries.js'
import {CacheStores} from '../store/cache-stores.js'
import {keepCache, takeKeptCache} from '../store/kept-cache.js'
import type {Keyring} from '../tree/node-decoder.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import type {UserReply} from './login.js'
import type {SessionRecord} from './session-record.js'
import {type FolderLinkRecord, folderLinkFailure, ReadOnlyFolderLinkError} from './folder-link.js'
import {catchUp, FOLDER_ROOT_KEY, reloadTree, type TreeChange, type TreeSyncDeps} from './tree-sync.js'
import {liveFeedCovers} from '../daemon/feed-state.js'

const SESSION_KEY = 'session'
const FOLDER_LINK_KEY = 'folder-link'
const CWD_KEY = 'cwd'
/** The cwd's path when it was set, to name it once its folder is gone. */
const CWD_PATH_KEY = 'cwd-path'
/** What a damaged cache's replacement keeps: the login and the cwd, not the tree (fetched again). */
const CARRY_OVER = [SESSION_KEY, FOLDER_LINK_KEY, CWD_KEY, CWD_PATH_KEY]
/**
 * How long a change the server has accepted waits for another process's lock on the cache. The change is made
 * whatever happens here: when the wait ends, the cache is left to learn it from the next catch-up.
 */
const CHANGE_RECORD_WAIT_MS = 120_000

export interface ContextOptions {
  /** Folder holding the cache; default megaHome(). */
  home?: string
  /** Called with progress/diagnostic lines for -v. */
  log?: (line: string) => void
  /** Called with a line the user must see whatever the verbosity (a rebuilt cache). */
  warn?: (line: string) => void
  /** A command's own context (MegaCommand): in a command host its cache stays open for the next one (kept-cache.ts). */
  commandContext?: boolean
}

/**
 * Everything a command needs: the cache (session + node tree), an API client bound to the session, and the
 * remote cwd. One per process (or per shell command); plugins get it from MegaCommand.
 */
export class MegaContext {
  readonly db: Db
  readonly meta: MetaStore
  readonly nodes: NodeStore
  /** du and find over whole subtrees, as index range scans. */
  readonly subtrees: SubtreeQueries
  readonly contacts: ContactStore
  readonly shares: ShareStore
  private apiClient?: ApiClient
  private rsaKey?: RsaPrivateKey

  private readonly file: string
  private readonly stores: CacheStores

  constructor(private readonly options: ContextOptions = {}) {
    this.file = join(options.home ?? megaHome(), 'cache.db')
    this.stores = (options.commandContext && takeKeptCache(this.file)) || this.openStores()
    ;({db: this.db, meta: this.meta, nodes: this.nodes, subtrees: this.subtrees, contacts: this.contacts, shares: this.shares} = this.stores)
  }

  private openStores(): CacheStores {
    const {db, recovery} = openCache(this.file, CARRY_OVER, SESSION_KEY)
    if (recovery) this.options.warn?.(recoveryNotice(recovery))
    return new CacheStores(db)
  }

  /** The account session; undefined when logged out or logged into a folder link. */
  get session(): SessionRecord | undefined {
    return this.meta.getJson<SessionRecord>(SESSION_KEY)
  }

  /** The folder link the cache is logged into (`mega login <folder link>`), if any. */
  get folderLink(): FolderLinkRecord | undefined {
    return this.meta.getJson<FolderLinkRecord>(FOLDER_LINK_KEY)
  }

  /** The folder link, when it is what the cache is logged into (an account session always wins). */
  private get folderSession(): FolderLinkRecord | undefined {
    return this.session ? undefined : this.folderLink
  }

  /** True when logged in, to an account or to a folder link. */
  get loggedIn(): boolean {
    return Boolean(this.session ?? this.folderLink)
  }

  /**
   * The API client: bound to the session when there is one, and then only to the server that issued it (a
   * MEGA_API_URL naming another server is refused rather than sent our session id).
   */
  get api(): ApiClient {
    if (!this.apiClient) {
      const session = this.session
      const folderLink = this.folderSession
      this.apiClient = new ApiClient({
        apiUrl: sessionApiUrl(session?.apiUrl ?? folderLink?.apiUrl),
        sid: session?.sid,
        // A folder-link session names its folder on every request, as megajs and the SDK do (mega-api.md §5.4).
        folderHandle: folderLink?.handle,
        onRetry: (attempt, delay, reason) => this.options.log?.(`API busy (${reason}); retry ${attempt} in ${delay} ms`),
      })
    }
    return this.apiClient
  }

  /** The account session, for commands that need an account (a folder link is not one: exit 57). */
  requireSession(): SessionRecord {
    const session = this.session
    if (session) return session
    if (this.folderLink) throw new NotLoggedInError('Not logged in: you are logged into a folder link, not an account.')
    throw new NotLoggedInError()
  }

  /**
   * The master key new nodes are encrypted under, for commands that change the tree. A folder link is
   * read-only, so they fail at once, before any request (MEGAcmd exit 56 NOTPERMITTED).
   */
  requireWritable(): Buffer {
    if (this.folderSession) throw new ReadOnlyFolderLinkError()
    const key = this.masterKey
    if (!key) throw new NotLoggedInError()
    return key
  }

  get masterKey(): Buffer | null {
    const session = this.session
    return session ? b64decode(session.masterKey) : null
  }

  get keyring(): Keyring {
    const session = this.session
    return {
      userHandle: session?.userHandle ?? null,
      masterKey: this.masterKey,
      shareKey: (handle) => this.nodes.shareKey(handle),
      privateKey: () => this.privateKey(),
    }
  }

  /**
   * The account's RSA private key, decrypted from the session's `privk` with the master key: it opens the share
   * keys owners send the account. Undefined in a folder-link session.
   */
  privateKey(): RsaPrivateKey | undefined {
    const session = this.session
    if (!this.rsaKey && session?.privk) this.rsaKey = decryptPrivateKey(session.privk, b64decode(session.masterKey))
    return this.rsaKey
  }

  private sdkShareKeys(): Promise<Map<string, Buffer>> {
    const session = this.requireSession()
    return fetchSdkShareKeys(this.api, {handle: session.userHandle, masterKey: b64decode(session.masterKey)})
  }

  private get syncDeps(): TreeSyncDeps {
    const folderLink = this.folderSession
    return {
      api: this.api, nodes: this.nodes, meta: this.meta, keyring: this.keyring, masterKey: this.masterKey, contacts: this.contacts,
      folderKey: folderLink ? b64decode(folderLink.key) : undefined,
      ...(folderLink ? {} : {shares: this.shares, privateKey: () => this.privateKey(), sdkShareKeys: () => this.sdkShareKeys()}),
    }
  }

  /** Stores a new session (after login) and loads its tree. */
  async startSession(session: SessionRecord): Promise<void> {
    this.meta.setJson(SESSION_KEY, session)
    this.meta.set(CWD_KEY, undefined)
    this.apiClient = undefined
    await reloadTree(this.syncDeps)
  }

  /**
   * Logs into a folder link: its tree is fetched first, so a removed link (-9) or a wrong key (-14, the
   * exported folder does not decrypt: SDK MegaClient::isValidFolderLink) leaves nothing behind.
   */
  async startFolderSession(folderLink: FolderLinkRecord): Promise<void> {
    this.meta.setJson(FOLDER_LINK_KEY, folderLink)
    this.meta.set(CWD_KEY, undefined)
    this.apiClient = undefined
    try {
      await this.reloadFolderLink()
    } catch (error) {
      this.endSession()
      throw error
    }
  }

  /** Forgets the session (account or folder link), the cached tree and the contacts. */
  endSession(): void {
    this.nodes.transaction(() => {
      this.meta.set(SESSION_KEY, undefined)
      this.meta.set(FOLDER_LINK_KEY, undefined)
      this.meta.set(FOLDER_ROOT_KEY, undefined)
      this.meta.set(CWD_KEY, undefined)
      this.meta.set(CWD_PATH_KEY, undefined)
      this.meta.set('sn', undefined)
      this.nodes.clear()
      this.contacts.clear()
      this.shares.clear()
    })
    this.apiClient = undefined
    this.rsaKey = undefined
  }

  /**
   * For commands that read the tree: requires a login (an account or a folder link) and brings the cached
   * tree up to date. Account-only commands use readyAccount().
   */
  async ready(): Promise<void> {
    if (this.folderSession) return this.reloadFolderLink()
    const session = this.requireSession()
    if (session.privk && liveFeedCovers(session.sid)) {
      this.options.log?.('the background server\'s live feed keeps the cache current: no catch-up')
      return
    }
    try {
      if (!session.privk) await this.fetchPrivateKey(session)
      await catchUp(this.syncDeps)
    } catch (error) {
      // A dead session is forgotten here too, so the next `mega login` starts clean.
      if (error instanceof SessionExpiredError) this.endSession()
      throw error
    }
  }

  /**
   * A session stored by a build that did not keep the RSA private key gets it once from `ug` (mega-api.md §3.3):
   * folders shared with the account cannot be opened without it.
   */
  private async fetchPrivateKey(session: SessionRecord): Promise<void> {
    const me = await this.api.request<UserReply>({a: 'ug'})
    if (!me.privk) return
    const updated = {...session, privk: me.privk}
    await retryWhileBusy(() => this.meta.setJson(SESSION_KEY, updated), {maxWaitMs: CHANGE_RECORD_WAIT_MS})
  }

  /**
   * One catch-up round for the background server's live feed (daemon/live-feed.ts): applies what changed since the
   * cache's sequence number, telling `onChange`, and returns the wait URL the server gave to long-poll on (none
   * when the round ended otherwise, e.g. a full reload). Folder-link sessions have no feed (undefined).
   */
  async followChanges(onChange: (change: TreeChange) => void): Promise<string | undefined> {
    if (this.folderSession) return undefined
    this.requireSession()
    return catchUp({...this.syncDeps, onChange})
  }

  /**
   * `reload`: the whole tree fetched again with `f`, replacing the cached one whatever the catch-up would have said
   * (MEGAcmd reload → MegaApi::fetchNodes). `followedByServer`: the background server's live feed was following
   * this session, and must now follow from the reloaded sequence number.
   */
  async reload(): Promise<{followedByServer: boolean}> {
    if (this.folderSession) {
      await this.reloadFolderLink()
      return {followedByServer: false}
    }
    const session = this.requireSession()
    await reloadTree(this.syncDeps)
    return {followedByServer: liveFeedCovers(session.sid)}
  }

  /** ready() for commands that need an account (contacts, account settings): its session record. */
  async readyAccount(): Promise<SessionRecord> {
    const session = this.requireSession()
    await this.ready()
    return session
  }

  /** A folder link has no `sn` to catch up from: every command fetches its tree again (mega-api.md §4.2). */
  private async reloadFolderLink(): Promise<void> {
    try {
      await reloadTree(this.syncDeps)
    } catch (error) {
      throw folderLinkFailure(error)
    }
    const root = this.folderRoot()
    if (!root?.key) throw folderLinkFailure(new MegaError(-14))
  }

  private folderRoot(): MegaNode | undefined {
    const handle = this.meta.get(FOLDER_ROOT_KEY)
    return handle ? this.nodes.get(handle) : undefined
  }

  /** A root of the tree; in a folder-link session the exported folder stands for the cloud root (`/`). */
  root(type: NodeType.ROOT | NodeType.INBOX | NodeType.RUBBISH = NodeType.ROOT): MegaNode {
    if (type === NodeType.ROOT && this.folderSession) {
      const root = this.folderRoot()
      if (!root) throw new NotLoggedInError('The folder link tree is not loaded. Please log in again.')
      return root
    }
    const node = this.nodes.root(type)
    if (!node) throw new NotLoggedInError('The account tree is not loaded. Please log in again.')
    return node
  }

  /**
   * The remote working directory `mega cd` stored (the root when none was). A folder that no longer exists is
   * an error naming it, never the root in its place: a relative `rm` must not act on `/`. `MEGA_CWD` (a path,
   * for scripts running side by side) is resolved by the caller.
   */
  cwdNode(): MegaNode {
    const handle = this.meta.get(CWD_KEY)
    if (!handle) return this.root()
    const node = this.nodes.get(handle)
    if (node && node.type !== NodeType.FILE) return node
    const path = this.meta.get(CWD_PATH_KEY) ?? `H:${handle}`
    throw new NotFoundError(`The remote working directory ${path} no longer exists (deleted elsewhere?): use "cd" to choose another`)
  }

  setCwd(node: MegaNode, path: string): void {
    this.nodes.transaction(() => {
      this.meta.set(CWD_KEY, node.handle)
      this.meta.set(CWD_PATH_KEY, path)
    })
  }

  /**
   * Records in the cache a change the server has accepted. Another process may hold the cache's write lock
   * for a while (a long reload): waiting for it, rather than failing, is the only honest report, since the
   * change is made. If the wait runs out, the next catch-up brings the change from the server's action packets.
   */
  async recordChange(write: () => void, signal?: AbortSignal): Promise<void> {
    try {
      await retryWhileBusy(() => this.nodes.transaction(write), {
        maxWaitMs: CHANGE_RECORD_WAIT_MS, signal,
        onWait: () => this.options.log?.('the cache is locked by another process; waiting to record the change'),
      })
    } catch (error) {
      if (signal?.aborted) return
      if (!isDatabaseBusy(error)) throw error
      this.options.log?.('the change is made but not yet in the cache (still locked); the next command fetches it')
    }
  }

  /** Moves a cache found damaged in the middle of a command aside and rebuilds it (keeping the session if it can). */
  rebuildDamagedCache(): CacheRecovery {
    if (this.db.open) this.db.close()
    const {db, recovery} = rebuildCache(this.file, CARRY_OVER, SESSION_KEY)
    db.close()
    return recovery
  }

  /** Closes the cache, or in a command host keeps it open for the next command (kept-cache.ts). */
  close(): void {
    if (this.db.open && !(this.options.commandContext && keepCache(this.file, this.stores))) this.db.close()
  }
}
