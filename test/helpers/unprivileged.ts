import {chmodSync, chownSync, lstatSync, readdirSync} from 'node:fs'
import type {RunOptions} from './cli.js'

/** `nobody` on Linux. */
const NOBODY = 65534

/**
 * Makes `path` unreadable for the `mega` process of a test, for real (EACCES). Root reads a 0000 file
 * anyway, so when the tests run as root the process runs as `nobody` instead: it gets `owned` (its home,
 * the source tree) and the returned run options; otherwise chmod 000 is enough and the options are empty.
 */
export function unreadableFor(path: string, owned: string[]): RunOptions {
  chmodSync(path, 0o000)
  if (process.getuid?.() !== 0) return {}
  for (const dir of owned) chownTree(Buffer.from(dir), NOBODY)
  // chown keeps the mode: the file stays 0000, and nobody is not root.
  return {uid: NOBODY, gid: NOBODY}
}

/** Paths as bytes, so that names which are not UTF-8 are reached too. */
function chownTree(path: Buffer, id: number): void {
  chownSync(path, id, id)
  if (!lstatSync(path).isDirectory()) return
  for (const name of readdirSync(path, {encoding: 'buffer'})) chownTree(Buffer.concat([path, Buffer.from('/'), name]), id)
}
