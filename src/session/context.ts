import {join} from 'node:path'
import {ApiClient} from '../api/client.js'
import {resolveApiUrl} from '../api/api-url.js'
import {b64decode} from '../crypto/base64.js'
import {MegaError, NotLoggedInError, SessionExpiredError} from '../errors.js'
import {ContactStore} from '../store/contact-store.js'
import {megaHome} from '../config/paths.js'
import {openDatabase, type Db} from '../store/database.js'
import {MetaStore} from '../store/meta-store.js'
import {NodeStore} from '../store/node-store.js'
import type {Keyring} from '../tree/node-decoder.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import type {SessionRecord} from './session-record.js'
import {type FolderLinkRecord, folderLinkFailure, ReadOnlyFolderLinkError} from './folder-link.js'
import {catchUp, FOLDER_ROOT_KEY, reloadTree, type TreeSyncDeps} from './tree-sync.js'

const SESSION_KEY = 'session'
const FOLDER_LINK_KEY = 'folder-link'
const CWD_KEY = 'cwd'

export interface ContextOptions {
  /** Folder holding the cache; default megaHome(). */
  home?: string
  /** Called with progress/diagnostic lines for -v. */
  log?: (line: string) => void
}

/**
 * Everything a command needs: the cache (session + node tree), an API client bound to the session, and the
 * remote cwd. One per process (or per shell command); plugins get it from MegaCommand.
 */
export class MegaContext {
  readonly db: Db
  readonly meta: MetaStore
  readonly nodes: NodeStore
  readonly contacts: ContactStore
  private apiClient?: ApiClient

  constructor(private readonly options: ContextOptions = {}) {
    this.db = openDatabase(join(options.home ?? megaHome(), 'cache.db'))
    this.meta = new MetaStore(this.db)
    this.nodes = new NodeStore(this.db)
    this.contacts = new ContactStore(this.db)
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

  /** The API client: bound to the session when there is one. */
  get api(): ApiClient {
    if (!this.apiClient) {
      const session = this.session
      const folderLink = this.folderSession
      this.apiClient = new ApiClient({
        apiUrl: resolveApiUrl(session?.apiUrl ?? folderLink?.apiUrl),
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
    }
  }

  private get syncDeps(): TreeSyncDeps {
    const folderLink = this.folderSession
    return {
      api: this.api, nodes: this.nodes, meta: this.meta, keyring: this.keyring, masterKey: this.masterKey, contacts: this.contacts,
      folderKey: folderLink ? b64decode(folderLink.key) : undefined,
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
      this.meta.set('sn', undefined)
      this.nodes.clear()
      this.contacts.clear()
    })
    this.apiClient = undefined
  }

  /**
   * For commands that read the tree: requires a login (an account or a folder link) and brings the cached
   * tree up to date. Account-only commands use readyAccount().
   */
  async ready(): Promise<void> {
    if (this.folderSession) return this.reloadFolderLink()
    this.requireSession()
    try {
      await catchUp(this.syncDeps)
    } catch (error) {
      // A dead session is forgotten here too, so the next `mega login` starts clean.
      if (error instanceof SessionExpiredError) this.endSession()
      throw error
    }
  }

  /** ready() for commands that need an account (contacts, account settings): its session record. */
  async readyAccount(): Promise<SessionRecord> {
    const session = this.requireSession()
    await this.ready()
    return session
  }

  async reload(): Promise<void> {
    if (this.folderSession) return this.reloadFolderLink()
    await reloadTree(this.syncDeps)
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
   * The remote working directory: `MEGA_CWD` (a path, for scripts running side by side) is resolved by
   * the caller; here the handle `mega cd` stored, falling back to the root when it no longer exists.
   */
  get cwdHandle(): string {
    const handle = this.meta.get(CWD_KEY)
    if (handle && this.nodes.get(handle)) return handle
    return this.root().handle
  }

  set cwdHandle(handle: string) {
    this.meta.set(CWD_KEY, handle)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
