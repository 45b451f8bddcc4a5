/**
 * What each positional argument of a command names, for completion: MEGAcmd's table (megacmdcommonutils.h
 * `localremotefolderpatterncommands`, `remotepatterncommands`, … and megacmd.cpp getCompletionFunction, MEGAcmd
 * 2.5.2), keyed by the command's MEGAcmd name (our commands' aliases).
 */
export type ArgumentKind = 'remote' | 'remote-folder' | 'local' | 'local-folder' | 'email' | 'none'

/** `position` counts the command's positional arguments from 1, as getCompletionFunction does. */
type KindOf = (position: number) => ArgumentKind

const first = (kind: ArgumentKind): KindOf => (position) => (position === 1 ? kind : 'none')
const firstThen = (kind: ArgumentKind, then: ArgumentKind): KindOf => (position) => (position === 1 ? kind : then)

const KINDS = new Map<string, KindOf>([
  // localremotefolderpatterncommands: a local path, then a remote folder.
  ...['sync', 'fuse-add'].map((name) => [name, (position: number) => (position === 1 ? 'local' : position === 2 ? 'remote-folder' : 'none')] as [string, KindOf]),
  // put: the first argument local, the rest remote (getCompletionFunction's special case).
  ['put', firstThen('local', 'remote')],
  ['backup', firstThen('local-folder', 'remote-folder')],
  ...['export', 'attr'].map((name) => [name, first('remote')] as [string, KindOf]),
  ...['cd', 'share'].map((name) => [name, first('remote-folder')] as [string, KindOf]),
  ...['ls', 'tree', 'mkdir', 'rm', 'du', 'find', 'mv', 'deleteversions', 'cat', 'mediainfo', 'webdav', 'ftp']
    .map((name) => [name, () => 'remote'] as [string, KindOf]),
  ['cp', (position) => (position <= 2 ? 'remote' : 'none')],
  // remotelocalpatterncommands: a remote path, then a local one.
  ...['get', 'thumbnail', 'preview'].map((name) => [name, (position: number) => (position === 1 ? 'remote' : position === 2 ? 'local' : 'none')] as [string, KindOf]),
  ['lcd', first('local-folder')],
  // MEGAcmd completes only the first word; the sync (ID|localpath|DEFAULT) is the last one, after the filters.
  ['sync-ignore', () => 'local-folder'],
  // emailpatterncommands: a contact's email.
  ...['invite', 'signup', 'ipc', 'users'].map((name) => [name, first('email')] as [string, KindOf]),
])

/** Options whose value is a contact's email (share --with=, megacmd.cpp flags_value_completion "with"). */
export const EMAIL_OPTIONS = new Set(['with'])

/** The kind of the `position`th argument of the command called by any of `names` (its id and aliases). */
export function argumentKind(names: string[], position: number): ArgumentKind {
  for (const name of names) {
    const kindOf = KINDS.get(name)
    if (kindOf) return kindOf(position)
  }
  return 'none'
}
