import {homedir} from 'node:os'
import {join} from 'node:path'

/**
 * Where mega-shell keeps its files, for an environment. `MEGA_SHELL_HOME` overrides everything (tests and users
 * keep profiles apart with it, the way MEGAcmd users set HOME); otherwise the XDG data directory oclif would use
 * (`$XDG_DATA_HOME/mega-shell`, default ~/.local/share/mega-shell). CommonJS with no dependencies: the thin
 * client finds the profile's server with it.
 */
export function megaHomeOf(env: NodeJS.ProcessEnv): string {
  if (env.MEGA_SHELL_HOME) return env.MEGA_SHELL_HOME
  const xdg = env.XDG_DATA_HOME || join(homedir(), '.local', 'share')
  return join(xdg, 'mega-shell')
}
