import {join} from 'node:path'
import {ApiClient} from '../api/client.js'
import {resolveApiUrl} from '../api/api-url.js'
import {b64decode} from '../crypto/base64.js'
import {NotLoggedInError, SessionExpiredError} from '../errors.js'
import {megaHome} from '../config/paths.js'
import {openDatabase, type Db} from '../store/database.js'
import {MetaStore} from '../store/meta-store.js'
import {NodeStore} from '../store/node-store.js'
import type {Keyring} from '../tree/node-decoder.js'
import {type MegaNode, NodeType} from '../tree/node.js'
import type {SessionRecord} from './session-record.js'
import {catchUp, reloadTree, type TreeSyncDeps} from './tree-sync.js'

const SESSION_KEY = 'session'
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
  private apiClient?: ApiClient

  constructor(private readonly options: ContextOptions = {}) {
    this.db = openDatabase(join(options.home ?? megaHome(), 'cache.db'))
    this.meta = new MetaStore(this.db)
    this.nodes = new NodeStore(this.db)
  }

  get session(): SessionRecord | undefined {
    return this.meta.getJson<SessionRecord>(SESSION_KEY)
  }

  /** The API client: bound to the session when there is one. */
  get api(): ApiClient {
    if (!this.apiClient) {
      const session = this.session
      this.apiClient = new ApiClient({
        apiUrl: resolveApiUrl(session?.apiUrl),
        sid: session?.sid,
        onRetry: (attempt, delay, reason) => this.options.log?.(`API busy (${reason}); retry ${attempt} in ${delay} ms`),
      })
    }
    return this.apiClient
  }

  requireSession(): SessionRecord {
    const session = this.session
    if (!session) throw new NotLoggedInError()
    return session
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
    return {api: this.api, nodes: this.nodes, meta: this.meta, keyring: this.keyring, masterKey: this.masterKey}
  }

  /** Stores a new session (after login) and loads its tree. */
  async startSession(session: SessionRecord): Promise<void> {
    this.meta.setJson(SESSION_KEY, session)
    this.meta.set(CWD_KEY, undefined)
    this.apiClient = undefined
    await reloadTree(this.syncDeps)
  }

  /** Forgets the session and the cached tree. */
  endSession(): void {
    this.nodes.transaction(() => {
      this.meta.set(SESSION_KEY, undefined)
      this.meta.set(CWD_KEY, undefined)
      this.meta.set('sn', undefined)
      this.nodes.clear()
    })
    this.apiClient = undefined
  }

  /** For logged-in commands: requires a session and brings the cached tree up to date. */
  async ready(): Promise<SessionRecord> {
    const session = this.requireSession()
    try {
      await catchUp(this.syncDeps)
    } catch (error) {
      // A dead session is forgotten here too, so the next `mega login` starts clean.
      if (error instanceof SessionExpiredError) this.endSession()
      throw error
    }
    return session
  }

  async reload(): Promise<void> {
    await reloadTree(this.syncDeps)
  }

  root(type: NodeType.ROOT | NodeType.INBOX | NodeType.RUBBISH = NodeType.ROOT): MegaNode {
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
