import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {megaHomeOf} from './home.cjs'

/** Where mega-shell keeps its files (config/home.cts): `MEGA_SHELL_HOME`, else the XDG data directory. */
export function megaHome(): string {
  return megaHomeOf(process.env)
}

/** Creates `dir` (and parents) readable by the owner only: it holds the session. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, {recursive: true, mode: 0o700})
  return dir
}

/** The default data folder of the embedded local server. */
export function localServerHome(): string {
  return join(megaHome(), 'local-server')
}
