import {existsSync, mkdirSync, renameSync} from 'node:fs'
import {basename, extname, join} from 'node:path'

/** The local root's debris folder, as MEGA's clients name it (the SDK's DEBRISFOLDER, ".debris"). */
export const LOCAL_DEBRIS = '.debris'

/** `YYYY-MM-DD` of today (local time), the debris folders' names on both sides (the SDK's day folders). */
export function debrisDay(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/**
 * Moves a local file or folder into `<root>/.debris/YYYY-MM-DD/`, never deleting it: a name already there gets
 * ` (1)`, ` (2)`, … before its extension. Returns where it went.
 */
export function moveToLocalDebris(root: string, absolutePath: string): string {
  const day = join(root, LOCAL_DEBRIS, debrisDay())
  mkdirSync(day, {recursive: true})
  const name = basename(absolutePath)
  const ext = extname(name)
  const stem = ext && ext !== name ? name.slice(0, -ext.length) : name
  let target = join(day, name)
  for (let n = 1; existsSync(target); n++) target = join(day, `${stem} (${n})${ext === name ? '' : ext}`)
  renameSync(absolutePath, target)
  return target
}
