import type {FilterEdit} from '../ignore/megaignore-file.js'

/** MEGAcmd's line for each filter `sync-ignore --add/--remove` and `exclude -a/-d` were given (sync_ignore.cpp). */
export function filterEditLines(action: 'add' | 'remove', edits: readonly FilterEdit[]): string[] {
  return edits.map(({filter, changed}) => {
    if (action === 'add') return changed ? `Added filter "${filter}"` : `Cannot add filter "${filter}" because it's already in the .megaignore file (skipped)`
    return changed ? `Removed filter "${filter}"` : `Cannot remove filter "${filter}" because it's not in the .megaignore file (skipped)`
  })
}

/** `--json`: the filters by outcome. */
export function filterEditSummary(action: 'add' | 'remove', edits: readonly FilterEdit[]): {added?: string[]; removed?: string[]; skipped: string[]} {
  const changed = edits.filter((e) => e.changed).map((e) => e.filter)
  const skipped = edits.filter((e) => !e.changed).map((e) => e.filter)
  return action === 'add' ? {added: changed, skipped} : {removed: changed, skipped}
}

/** `The filter "<f>" does not have valid format`: MEGAcmd's message for each filter `--add` refuses (exit 51). */
export function invalidFilterMessage(filter: string): string {
  return `The filter "${filter}" does not have valid format`
}
