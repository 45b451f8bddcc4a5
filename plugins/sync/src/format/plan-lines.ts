import type {PlannedAction} from '../service/sync-protocol.js'

/**
 * `sync --dry-run`: one line per action of the pass, `<kind> <path>`, with ` -> <to>` for moves and conflicts
 * (`move-remote a -> b`, `conflict x.txt -> x (conflict …).txt`); paths relative to the sync's roots, with `/`.
 * Then one summary line.
 */
export function planLines(plan: PlannedAction[]): string[] {
  const lines = plan.map(({kind, path, to}) => (to === undefined ? `${kind} ${path}` : `${kind} ${path} -> ${to}`))
  lines.push(`${plan.length} ${plan.length === 1 ? 'action' : 'actions'}; nothing was changed`)
  return lines
}
