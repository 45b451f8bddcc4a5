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
  // Subtree queries (du, find) as index range scans instead of walks: `path` is '/' then the handles from the topmost
  // cached ancestor down to the node, each followed by '/', so a subtree is the range [path, path + '\x7f')
  // (store/tree-paths.ts keeps it up to date). The index covers what du and find filter and print on.
  `ALTER TABLE nodes ADD COLUMN path TEXT NOT NULL DEFAULT '';
   WITH RECURSIVE tree(handle, path) AS (
     SELECT handle, '/' || handle || '/' FROM nodes WHERE parent IS NULL OR parent NOT IN (SELECT handle FROM nodes)
     UNION ALL
     SELECT n.handle, tree.path || n.handle || '/' FROM nodes n JOIN tree ON n.parent = tree.handle
   )
   UPDATE nodes SET path = tree.path FROM tree WHERE tree.handle = nodes.handle;
   CREATE INDEX nodes_subtree ON nodes(path, type, size, mtime, ts, name);`,
  // Public links beside their public handle (`link`): creation time, expiry and a writable link's auth key
  // (mega-api.md §6.1 `f.ph` and the `ph` packet), so listings say "temporal" and "expires at" from the cache.
  `ALTER TABLE nodes ADD COLUMN link_ts INTEGER;
   ALTER TABLE nodes ADD COLUMN link_ets INTEGER;
   ALTER TABLE nodes ADD COLUMN link_auth TEXT;
   CREATE INDEX nodes_exported ON nodes(handle) WHERE link IS NOT NULL;`,
  // Shares with other users (session/share-sync.ts). out_shares: the account's folders shared with others, `user`
  // a user handle, or for a pending share (to someone not yet a contact) its contact request's handle; in_shares:
  // the folders others share with the account, by their top folder. Their keys are in share_keys.
  `CREATE TABLE out_shares (
     node TEXT NOT NULL,
     user TEXT NOT NULL,
     access INTEGER NOT NULL,
     ts INTEGER NOT NULL DEFAULT 0,
     pending INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (node, user)
   );
   CREATE TABLE in_shares (node TEXT PRIMARY KEY, owner TEXT NOT NULL, access INTEGER NOT NULL, ts INTEGER NOT NULL DEFAULT 0);`,
  // The root, inbox and rubbish bin by type (NodeStore.root, which every command asks): without it each command
  // scanned the whole table, 0.5 s at 100k nodes.
  `CREATE INDEX nodes_by_type ON nodes(type);`,
  // The totals of every folder's subtree (store/tree-totals.ts, the SDK's NodeCounter): files, folders and bytes, and
  // the older versions of those files and their bytes, so `du` reads one row. Filled here for a cache made before:
  // each folder's path range of the nodes_subtree index, and the version chains of the files in it.
  `ALTER TABLE nodes ADD COLUMN sub_files INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE nodes ADD COLUMN sub_folders INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE nodes ADD COLUMN sub_bytes INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE nodes ADD COLUMN sub_versions INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE nodes ADD COLUMN sub_version_bytes INTEGER NOT NULL DEFAULT 0;
   UPDATE nodes SET (sub_files, sub_folders, sub_bytes) = (
     SELECT COUNT(CASE WHEN below.type = 0 THEN 1 END), COUNT(CASE WHEN below.type = 1 THEN 1 END),
       COALESCE(SUM(CASE WHEN below.type = 0 THEN below.size END), 0)
     FROM nodes AS below WHERE below.path >= nodes.path AND below.path < nodes.path || char(127))
   WHERE type != 0;
   CREATE TEMP TABLE version_chains AS
     WITH RECURSIVE chain(top, handle, size) AS (
       SELECT file.path, version.handle, version.size FROM nodes AS version JOIN nodes AS file ON file.handle = version.parent
       WHERE version.path >= '~' AND version.path < '~' || char(127) AND file.path < '~'
       UNION ALL
       SELECT chain.top, older.handle, older.size FROM chain JOIN nodes AS older ON older.parent = chain.handle AND older.type = 0
     )
     SELECT top, COUNT(*) AS versions, SUM(size) AS bytes FROM chain GROUP BY top;
   CREATE INDEX temp.version_chains_by_top ON version_chains(top);
   UPDATE nodes SET (sub_versions, sub_version_bytes) = (
     SELECT COALESCE(SUM(versions), 0), COALESCE(SUM(bytes), 0) FROM temp.version_chains
     WHERE top >= nodes.path AND top < nodes.path || char(127))
   WHERE type != 0;
   DROP TABLE temp.version_chains;`,
  // find --pattern by name (store/name-range.ts): a pattern with a literal start looks its few names up here and keeps
  // those inside the subtree's path range, instead of scanning the subtree.
  `CREATE INDEX nodes_by_name ON nodes(name, path);`,
]
