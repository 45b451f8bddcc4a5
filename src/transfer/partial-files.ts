import {randomBytes} from 'node:crypto'
import {readdir, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {processAlive} from '../os/process-alive.cjs'
import {truncateUtf8} from './name-limits.js'

/**
 * A download is written to `.<name>.mega-partial-<pid>-<random>` beside its destination and renamed when its
 * MAC matches. The writer's pid in the name tells a later download whether the file is still being written:
 * one left by a process that died (kill -9, power loss) is garbage, one of a live process (a concurrent
 * `get`) is not.
 */
const PARTIAL = /\.mega-partial-(\d+)-[0-9a-f]{12}$/

/** The temporary file for `destination`; its name is cut so that the whole fits in NAME_MAX (1+200+14+7+1+12). */
export function partialPathFor(destination: string): string {
  return join(dirname(destination), `.${truncateUtf8(basename(destination), 200)}.mega-partial-${process.pid}-${randomBytes(6).toString('hex')}`)
}

/**
 * The partial file of a resumable download (the transfer queue's): no pid in its name, since it outlives the
 * process that began it, so removeStalePartials leaves it alone; the queue removes it when the transfer ends.
 */
export function resumablePartialPathFor(destination: string): string {
  return join(dirname(destination), `.${truncateUtf8(basename(destination), 200)}.mega-resume-${randomBytes(6).toString('hex')}`)
}

/** Removes the partial files in `dir` whose writing process is gone; returns their names. */
export async function removeStalePartials(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [])
  const stale = names.filter((name) => {
    const pid = PARTIAL.exec(name)?.[1]
    return name.startsWith('.') && pid !== undefined && !processAlive(Number(pid))
  })
  await Promise.all(stale.map((name) => rm(join(dir, name), {force: true})))
  return stale
}

/** A download's temporary file (partial or resumable): never a file of the user's, so a sync leaves it alone. */
export function isTransferTempName(name: string): boolean {
  return name.startsWith('.') && (PARTIAL.test(name) || /\.mega-resume-[0-9a-f]{12}$/.test(name))
}
