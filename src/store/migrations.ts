/**
 * Schema migrations of the local cache, applied in order; `PRAGMA user_version` records how many ran.
 * Never edit a migration that has shipped: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE nodes (
     handle TEXT PRIMARY KEY,
     parent TEXT,
     type INTEGER NOT NULL,
     name TEXT NOT NULL,
     size INTEGER NOT NULL DEFAULT 0,
     ts INTEGER NOT NULL DEFAULT 0,
     mtime INTEGER,
     owner TEXT,
     key BLOB,
     attrs TEXT,
     fa TEXT,
     link TEXT
   );
   CREATE INDEX nodes_by_parent_name ON nodes(parent, name);
   CREATE TABLE share_keys (handle TEXT PRIMARY KEY, key BLOB NOT NULL);`,
  // Contacts and pending contact requests (mega-api.md §4.2 `u`/`ipc`/`opc`, §6.4); `outgoing` 1 = sent by us.
  `CREATE TABLE users (handle TEXT PRIMARY KEY, email TEXT NOT NULL, visibility INTEGER NOT NULL, ts INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE contact_requests (
     handle TEXT PRIMARY KEY,
     outgoing INTEGER NOT NULL,
     email TEXT NOT NULL,
     ts INTEGER NOT NULL DEFAULT 0,
     uts INTEGER NOT NULL DEFAULT 0,
     rts INTEGER,
     msg TEXT
   );`,
  // Public links beside their public handle (`link`): creation time, expiry and a writable link's auth key
  // (mega-api.md §6.1 `f.ph` and the `ph` packet), so listings say "temporal" and "expires at" from the cache.
  `ALTER TABLE nodes ADD COLUMN link_ts INTEGER;
   ALTER TABLE nodes ADD COLUMN link_ets INTEGER;
   ALTER TABLE nodes ADD COLUMN link_auth TEXT;
   CREATE INDEX nodes_exported ON nodes(handle) WHERE link IS NOT NULL;`,
]
