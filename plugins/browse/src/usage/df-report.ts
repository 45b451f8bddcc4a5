import {type AccountQuota, fixLengthString, sizeToText} from '@mega-shell/core'

/** The account's roots, by handle, as `df` reports them. */
export interface DfRoots {
  root: string
  inbox: string
  rubbish: string
}

const DASHES = '-'.repeat(75)

/**
 * `df` as MEGAcmd prints it (megacmdexecuter.cpp "df"), from the account's `uq` storage details: one line per root
 * (`<size> in <n> file(s) and <n> folder(s)`), the storage used against the maximum between dashed lines, and the
 * bytes taken by old versions. The used storage is MEGAcmd's sum of the roots' files and versions.
 *
 * MEGAcmd also lists incoming shares; the cache does not know them yet, so that section is left out.
 */
export function dfLines(quota: AccountQuota, roots: DfRoots, human: boolean): string[] {
  const size = (bytes: number) => fixLengthString(sizeToText(bytes, human), 12, true)
  const count = (n: number) => fixLengthString(String(n), 7, true)
  const usage = (handle: string) => quota.roots[handle] ?? {bytes: 0, files: 0, folders: 0, versionBytes: 0, versionFiles: 0}
  const line = (label: string, handle: string) => {
    const {bytes, files, folders} = usage(handle)
    return `${label.padEnd(22)}${size(bytes)} in ${count(files)} file(s) and ${count(folders)} folder(s)`
  }
  const handles = [roots.root, roots.inbox, roots.rubbish]
  const used = handles.reduce((sum, handle) => sum + usage(handle).bytes + usage(handle).versionBytes, 0)
  const versions = handles.reduce((sum, handle) => sum + usage(handle).versionBytes, 0)
  const share = `${percentage(used, quota.storageMax)} of ${sizeToText(quota.storageMax, human)}`
  return [
    line('Cloud drive:', roots.root), line('Inbox:', roots.inbox), line('Rubbish bin:', roots.rubbish),
    DASHES, `${'USED STORAGE:'.padEnd(22)}${size(used)}  ${fixLengthString(share, 39, true)}`, DASHES,
    `Total size taken up by file versions: ${size(versions)}`,
  ]
}

/** MEGAcmd's percentageToText of a float ratio: two decimals and "%", "----%" when it is not a number. */
function percentage(used: number, max: number): string {
  const ratio = Math.max(0, Math.fround(used / max))
  return Number.isNaN(ratio) ? '----%' : `${(ratio * 100).toFixed(2)}%`
}
