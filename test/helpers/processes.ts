import {readdirSync, readFileSync} from 'node:fs'

/**
 * Pids of the running processes whose command line (argv, read from /proc) satisfies `matches`: what is really
 * running, not what a pid file claims.
 */
export function processIds(matches: (argv: string[]) => boolean): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let argv: string[]
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
    } catch {
      continue // ended meanwhile
    }
    if (matches(argv)) pids.push(Number(entry))
  }
  return pids
}

/** The fields of /proc/<pid>/stat after the command name (proc(5)): [0] state, [3] session, [4] tty_nr, [11] utime, [12] stime. */
export function procStatFields(pid: number): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')
}
