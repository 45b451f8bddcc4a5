/**
 * What `version -c` lists: the changes of the current version, one line each, as MEGAcmd's megacmdchangelog is
 * (MEGAcmd src/megacmdversion.h; printed as ` * ` bullets). Update it with the version in package.json.
 */
export const CURRENT_CHANGES: readonly string[] = [
  'MEGAcmd-compatible commands, flags, output and exit codes, with --json on every command',
  'A SQLite cache of the decrypted tree: commands answer from indexed queries, whatever the account size',
  'The background server: mega-<cmd> thin clients, a live copy of the tree, plugin services',
  'Parallel, resumable transfers on its own HTTP client; file MACs checked as the SDK does',
  'An embedded MEGA-compatible API server for offline use and tests (mega local-server)',
  'Settings and misc commands: version, errorcode, https, log, debug, reload, help',
]

/** Where the whole history is: the project's own log. */
export const FULL_CHANGELOG = 'Full changelog: the git history of mega-shell (git log)'
