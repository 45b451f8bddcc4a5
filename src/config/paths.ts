import {mkdirSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

/**
 * Where mega-shell keeps its files. `MEGA_SHELL_HOME` overrides everything (tests and users keep profiles
 * apart with it, the way MEGAcmd users set HOME); otherwise the XDG data directory oclif would use
 * (`$XDG_DATA_HOME/mega-shell`, default ~/.local/share/mega-shell).
 */
export function megaHome(): string {
  if (process.env.MEGA_SHELL_HOME) return process.env.MEGA_SHELL_HOME
  const xdg = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share')
  return join(xdg, 'mega-shell')
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
