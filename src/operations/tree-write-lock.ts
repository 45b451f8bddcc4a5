import {dirname, join} from 'node:path'
import type {MegaContext} from '../session/context.js'
import {withFileLock} from '../store/file-lock.js'

/**
 * Commands of one profile share its cache and decide what to create from it. "Is /r there? No: create it"
 * must not interleave between them, or two `mkdir -p /r/a` both create a `/r` (MEGA allows several nodes of
 * one name). Whoever holds this lock reads the cache again (every command writes what it created into it at
 * once, see putNodes) and creates only what is still missing. It is held for a round trip, never while a
 * file's data is sent. The lock file sits beside the cache it guards.
 */
export function withTreeWriteLock<T>(ctx: MegaContext, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  return withFileLock(join(dirname(ctx.db.name), 'tree-writes.lock'), fn, {signal})
}
