import type {LoginThrottle} from './accounts/login-throttle.js'
import type {TransferQuota} from './accounts/transfer-quota.js'
import type {FileAttributeServer} from './http/file-attribute-server.js'
import type {UploadManager} from './http/upload-manager.js'
import type {AttributeStore} from './stores/attribute-store.js'
import type {BlobStore} from './stores/blob-store.js'
import type {ContactStore} from './stores/contact-store.js'
import type {Db} from './stores/database.js'
import type {DownloadUrlStore} from './stores/download-store.js'
import type {EventLog} from './stores/event-log.js'
import type {LinkStore} from './stores/link-store.js'
import type {NodeStore} from './stores/node-store.js'
import type {Outbox} from './stores/outbox.js'
import type {SessionStore} from './stores/session-store.js'
import type {ShareStore} from './stores/share-store.js'
import type {SignupStore} from './stores/signup-store.js'
import type {UserStore} from './stores/user-store.js'

export interface ServerConfig {
  /** How long a wait URL blocks when nothing happens (mega-api.md §1.5; megajs re-polls at once). */
  scWaitTimeoutMs: number
  /** Base of the transfer and wait URLs handed to clients; derived from the listening address when unset. */
  publicUrl?: string
}

/**
 * Everything the command handlers, the `sc` channel and the HTTP data paths share for the life of the server
 * (built by start-server.ts): the stores, and the two transfer paths whose URLs commands hand out.
 */
export interface ServerContext {
  db: Db
  config: ServerConfig
  users: UserStore
  nodes: NodeStore
  sessions: SessionStore
  events: EventLog
  links: LinkStore
  shares: ShareStore
  blobs: BlobStore
  /** Upload URLs: `u` makes one, chunks arrive over HTTP, `p` claims the result (upload-manager.ts). */
  uploads: UploadManager
  /** The download URLs `g` hands sessions, each naming the account it meters (download-store.ts). */
  downloadUrls: DownloadUrlStore
  /** What each account downloaded in the last six hours, against its transfer quota (transfer-quota.ts). */
  transferQuota: TransferQuota
  /** Thumbnail and preview URLs: `ufa` makes one, the data moves over HTTP (file-attribute-server.ts). */
  fileAttributes: FileAttributeServer
  signups: SignupStore
  outbox: Outbox
  attributes: AttributeStore
  contacts: ContactStore
  /** Wrong-password counts per email (login-throttle.ts). */
  loginThrottle: LoginThrottle
}
