import Database from 'better-sqlite3'
import {chmodSync, closeSync, existsSync, openSync} from 'node:fs'
import {join} from 'node:path'
import {prepareDataDir} from '../data-dir.js'

export type Db = Database.Database

/** The metadata file inside a data folder; ciphertext lives beside it in blobs/ (blob-store.ts). */
export const DATABASE_FILE = 'server.db'

/**
 * Numbered migrations; `PRAGMA user_version` records how many ran. Append, never edit: a data folder written
 * by an older build must open with a newer one.
 *
 * What is stored is what the real service stores: encrypted keys, encrypted attributes, ciphertext
 * (design.md "The local MEGA-compatible server"). Nothing here can decrypt a node.
 */
const MIGRATIONS: readonly string[] = [
  // 1: accounts, sessions, the node tree, transfers, links, folder shares, file attributes, the event log.
  `
  CREATE TABLE users (
    handle TEXT PRIMARY KEY,            -- 8-byte user handle, b64
    email TEXT NOT NULL UNIQUE,         -- lower-cased
    name TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,           -- login version, 1 or 2 (us0.v)
    k TEXT NOT NULL,                    -- b64 AES-ECB(passwordKey, masterKey)
    uh TEXT NOT NULL,                   -- v1: b64 user hash; v2: b64 SHA-256(authKey)[0..16) (hak)
    salt TEXT,                          -- v2: b64 32-byte salt sent in us0.s
    pubk TEXT,
    privk TEXT,                         -- under the master key, exactly as the client made it
    ts TEXT NOT NULL,                   -- b64 ssc ‖ AES-ECB(masterKey, ssc)
    totp_secret TEXT,                   -- base32; set = two-factor login required
    totp_last_step INTEGER,             -- last accepted TOTP time step (replays answer EEXPIRED)
    root TEXT NOT NULL,
    inbox TEXT NOT NULL,
    rubbish TEXT NOT NULL,
    storage_max INTEGER NOT NULL,
    transfer_max INTEGER NOT NULL,
    events_floor INTEGER NOT NULL,      -- event ids at or below this are gone: older sn answer ETOOMANY
    created INTEGER NOT NULL
  );

  CREATE TABLE sessions (
    sid TEXT PRIMARY KEY,               -- b64 of the 43-byte session id
    handle TEXT NOT NULL UNIQUE,        -- session handle shown by usl / killed by usr
    user TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    created INTEGER NOT NULL,
    last_used INTEGER NOT NULL,
    alive INTEGER NOT NULL DEFAULT 1,
    user_agent TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX sessions_user ON sessions(user);

  CREATE TABLE blobs (
    id TEXT PRIMARY KEY,                -- file name in blobs/, also the download URL token
    size INTEGER NOT NULL,
    created INTEGER NOT NULL
  );

  CREATE TABLE nodes (
    handle TEXT PRIMARY KEY,
    owner TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    parent TEXT,                        -- NULL for the root, inbox and rubbish bin
    type INTEGER NOT NULL,              -- 0 file, 1 folder, 2 root, 3 inbox, 4 rubbish
    attrs TEXT NOT NULL DEFAULT '',     -- b64 encrypted attributes
    key TEXT NOT NULL DEFAULT '',       -- b64 node key under the owner's master key
    size INTEGER,
    ts INTEGER NOT NULL,
    fa TEXT,                            -- "<cluster>:<type>*<handle>/…"
    blob TEXT REFERENCES blobs(id)
  );
  CREATE INDEX nodes_parent ON nodes(parent);
  CREATE INDEX nodes_owner ON nodes(owner, type);
  CREATE INDEX nodes_blob ON nodes(blob);

  -- "<shareHandle>:<key>" pairs supplied by crypto requests (cr) for nodes under a shared folder.
  CREATE TABLE node_share_keys (
    node TEXT NOT NULL REFERENCES nodes(handle) ON DELETE CASCADE,
    share TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (node, share)
  );

  -- Owner copies of share keys (f.ok): ok = AES-ECB(master, shareKey), ha = handle auth.
  CREATE TABLE share_keys (
    node TEXT PRIMARY KEY REFERENCES nodes(handle) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    ok TEXT NOT NULL,
    ha TEXT NOT NULL
  );

  CREATE TABLE shares (
    node TEXT NOT NULL REFERENCES nodes(handle) ON DELETE CASCADE,
    user TEXT NOT NULL,                 -- 'EXP' for the folder-link pseudo-user
    access INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    PRIMARY KEY (node, user)
  );

  CREATE TABLE links (
    node TEXT PRIMARY KEY REFERENCES nodes(handle) ON DELETE CASCADE,
    ph TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    ts INTEGER NOT NULL,
    ets INTEGER
  );

  CREATE TABLE uploads (
    id TEXT PRIMARY KEY,                -- upload URL token
    user TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    size INTEGER NOT NULL,
    blob TEXT NOT NULL,                 -- blob id the chunks are written to
    ranges TEXT,                        -- JSON [[start,end),…] saved at shutdown for unfinished uploads
    token TEXT UNIQUE,                  -- completion token once every byte arrived
    created INTEGER NOT NULL,
    completed INTEGER,
    used INTEGER                        -- when a 'p' consumed the token
  );

  CREATE TABLE file_attributes (
    handle TEXT PRIMARY KEY,            -- b64 of the 8-byte attribute handle
    user TEXT NOT NULL,
    data BLOB NOT NULL,                 -- AES-CBC ciphertext from the client
    created INTEGER NOT NULL
  );

  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- the sn of the packet
    user TEXT NOT NULL,
    packet TEXT NOT NULL,               -- JSON action packet
    created INTEGER NOT NULL
  );
  CREATE INDEX events_user ON events(user, id);
  `,
  // 2: signup (ephemeral and unconfirmed accounts), the outbox, user attributes, contacts and their requests.
  `
  -- 0 for an ephemeral account (mega-api.md §3.4) until its signup link is confirmed. Such an account has no
  -- login email yet: its email column holds '~' + handle, which no address can equal (emails need an '@').
  ALTER TABLE users ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1;

  -- Signup links sent by uc (v1) or uc2 (v2), waiting for ud/ud2 (mega-api.md §3.5).
  CREATE TABLE signups (
    token TEXT PRIMARY KEY,             -- b64 of the 15-byte token inside the confirmation code
    user TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    email TEXT NOT NULL,                -- lower-cased
    name TEXT NOT NULL,
    version INTEGER NOT NULL,           -- 1: uc/ud, 2: uc2/ud2
    k TEXT,                             -- v2: master key under the new password key
    hak TEXT,                           -- v2: b64 SHA-256(authKey)[0..16)
    salt TEXT,                          -- v2: b64 salt made from crv
    c TEXT,                             -- v1: b64 AES-ECB(passwordKey, masterKey ‖ challenge)
    created INTEGER NOT NULL
  );
  CREATE INDEX signups_email ON signups(email);

  -- The local server's "sent mail" (local-server:outbox): confirmation links and contact invitations.
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- 'signup' | 'contact-request'
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    sent INTEGER NOT NULL
  );

  -- User attributes as the client sent them (b64; '*' ones are encrypted by the client), mega-api.md §3.9.
  CREATE TABLE user_attributes (
    user TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    version TEXT NOT NULL,
    PRIMARY KEY (user, name)
  );

  -- One row per direction: (alice, bob) and (bob, alice). visibility as in f.u: 1 visible, 0 removed.
  CREATE TABLE contacts (
    user TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    contact TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    visibility INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    PRIMARY KEY (user, contact)
  );

  -- Pending contact requests (upc); answered or cancelled ones are deleted.
  CREATE TABLE contact_requests (
    handle TEXT PRIMARY KEY,            -- the PCR handle (8 bytes b64)
    source TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    target TEXT NOT NULL,               -- target email, lower-cased: the invitee may have no account yet
    msg TEXT NOT NULL DEFAULT '',
    ts INTEGER NOT NULL,
    uts INTEGER NOT NULL,
    rts INTEGER NOT NULL DEFAULT 0,     -- last reminder
    ignored INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source, target)
  );
  CREATE INDEX contact_requests_target ON contact_requests(target);
  `,
  // 3: what the official SDK's dialect (cs `v=3`, sdk-dialect.md) needs remembered.
  `
  -- The 16-byte session key (b64) a v3 client sent with its password login and got back; a session check
  -- (resume) answers it again, because the client's saved session holds the master key encrypted with it.
  ALTER TABLE sessions ADD COLUMN sek TEXT;

  -- 'sdk' when the upload URL was asked for with cs v=3: its non-final chunks are acknowledged with "0",
  -- where the older clients need an empty body (dialect.ts).
  ALTER TABLE uploads ADD COLUMN dialect TEXT NOT NULL DEFAULT 'legacy';

  -- The packet as SDK-dialect readers (wsc) get it, when it differs from packet, which the other clients get
  -- (sc): with the command's sequence tag and the SDK's own node fields. '' in either column: those readers do
  -- not get the packet (event-log.ts).
  ALTER TABLE events ADD COLUMN sdk_packet TEXT;

  -- The last sequence tag (st) handed out; tags must keep increasing across restarts (sequence-tags.ts).
  CREATE TABLE sequence_tags (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
  );
  INSERT INTO sequence_tags (id, last) VALUES (1, 0);
  `,
  // 4: writable folder links.
  `
  -- The auth key of a writable folder link (l with w), handed out with its public handle; NULL for a read-only
  -- link (sdk-dialect.md §7.2; SDK CommandSetPH).
  ALTER TABLE links ADD COLUMN auth TEXT;
  `,
  // 5: account levels.
  `
  -- The account's PRO level as uq reports it in utype: 0 free, 1-3 PRO I-III, 4 PRO Lite (SDK
  -- MegaAccountDetails::getProLevel). MEGAcmd protects links with a password only for PRO accounts.
  ALTER TABLE users ADD COLUMN pro_level INTEGER NOT NULL DEFAULT 0;
  `,
  // 6: folders shared with other users (handlers/shares.ts, stores/share-store.ts).
  `
  -- The sharee's copy of the share key: MEGA-RSA-encrypted to its public key (s2 s[].k, or supplied later with
  -- k sr), or under its own master key once it rewrote it (k sr with its own handle). NULL until someone gives it.
  ALTER TABLE shares ADD COLUMN k TEXT;
  -- A pending share (to an email that is not a contact yet) names its contact request; user then holds the
  -- invitee's lower-cased email instead of a handle, until the invitee accepts.
  ALTER TABLE shares ADD COLUMN pcr TEXT;
  CREATE INDEX shares_user ON shares(user);
  CREATE INDEX shares_pcr ON shares(pcr);

  -- Who made a node inside someone else's shared folder: its 'u' on the wire, and whose master key 'key' is
  -- under. NULL: the owner made it.
  ALTER TABLE nodes ADD COLUMN creator TEXT;

  -- Share keys one user sent another with pk {u, h, k} (the official SDK's "pending keys"): opaque to the
  -- server, handed to the recipient by pk and deleted when it acknowledges them (pk {d}).
  CREATE TABLE pending_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    recipient TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    share TEXT NOT NULL,
    key TEXT NOT NULL,
    created INTEGER NOT NULL
  );
  CREATE INDEX pending_keys_recipient ON pending_keys(recipient, id);
  `,
  // 7: storage used per account, kept current by triggers.
  `
  -- Bytes of every file node of the account, versions included: what \`u\` checks against storage_max. Walking the
  -- tree for it made every upload O(account size) (issue 10: a put of empty files fell from 340 to 37 files/s by
  -- 35k nodes). Nodes never change owner, type or size once made, so insert and delete are all that move it.
  ALTER TABLE users ADD COLUMN storage_used INTEGER NOT NULL DEFAULT 0;
  UPDATE users SET storage_used = (SELECT COALESCE(SUM(size), 0) FROM nodes WHERE owner = users.handle AND type = 0);
  CREATE TRIGGER nodes_storage_added AFTER INSERT ON nodes WHEN NEW.type = 0 AND NEW.size IS NOT NULL BEGIN
    UPDATE users SET storage_used = storage_used + NEW.size WHERE handle = NEW.owner;
  END;
  CREATE TRIGGER nodes_storage_removed AFTER DELETE ON nodes WHEN OLD.type = 0 AND OLD.size IS NOT NULL BEGIN
    UPDATE users SET storage_used = storage_used - OLD.size WHERE handle = OLD.owner;
  END;
  `,
  // 8: the transfer quota (accounts/transfer-quota.ts) and upload URL ages.
  `
  -- Bytes each account downloaded through its download URLs, per hour (hour = unix time / 3600): the window is
  -- the last six of them, like the SDK's six hourly \`tah\` buckets (CommandGetUserQuota::procresult). Older rows are
  -- pruned at startup.
  CREATE TABLE transfer_use (
    user TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    hour INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (user, hour)
  ) WITHOUT ROWID;

  -- The download URL \`g\` hands a session for a file: it names who downloads, so the data path can meter that
  -- account. One per account and blob; rows whose blob is gone are pruned at startup.
  CREATE TABLE download_urls (
    token TEXT PRIMARY KEY,
    blob TEXT NOT NULL,
    user TEXT NOT NULL REFERENCES users(handle) ON DELETE CASCADE,
    UNIQUE (user, blob)
  );

  -- When the upload URL was made, in milliseconds (the ulexpire fault measures its age); NULL for older rows,
  -- which fall back to created * 1000.
  ALTER TABLE uploads ADD COLUMN created_ms INTEGER;
  `,
]

/**
 * Opens (and creates or migrates) the database of a data folder. WAL plus a busy timeout lets `useradd`
 * write while the server runs in another process. It holds every account's login hash and encrypted keys,
 * so it is owner-only whatever the folder's mode, like the client's cache (src/store/database.ts).
 */
export function openDatabase(dataDir: string): Db {
  prepareDataDir(dataDir)
  const file = join(dataDir, DATABASE_FILE)
  // Created 0600 before SQLite opens it: SQLite would make it 0644 under the usual umask, and gives its WAL
  // and SHM files the database's mode. The chmod fixes files left by builds that did not do this.
  closeSync(openSync(file, 'a', 0o600))
  const db = new Database(file)
  db.pragma('busy_timeout = 10000')
  db.pragma('journal_mode = WAL')
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600)
  // NORMAL in WAL mode is durable across application crashes; only a power loss can drop the last commits.
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  // 64 MiB of page cache instead of SQLite's 2 MiB: node handles are random, so each insert lands on a random page of
  // the handle index; once that index outgrew the cache, inserts went from a few µs to ~130 µs (a million-node
  // account is ~150 MiB of nodes and indexes).
  db.pragma('cache_size = -65536')
  migrate(db)
  return db
}

function migrate(db: Db): void {
  const current = () => db.pragma('user_version', {simple: true}) as number
  if (current() >= MIGRATIONS.length) return
  // IMMEDIATE takes the write lock first, so two processes opening a fresh folder do not both migrate.
  db.transaction(() => {
    for (let v = current(); v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v])
      db.pragma(`user_version = ${v + 1}`)
    }
  }).immediate()
}
