/**
 * Whether a process still runs, and waiting for one to end: for the background server, the local server and the
 * writers of partial downloads. CommonJS, as the thin client that retires an old server loads it.
 */

/** True while `pid` runs, also when it belongs to another user (EPERM). A zombie has ended. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  // A detached process is adopted when its launcher exits; until its adoptive parent reaps it (a container's init
  // may never), it stays a zombie, which signal 0 still reaches: it has ended all the same (proc(5): state Z or X
  // after the name).
  const {readFileSync} = require('node:fs') as typeof import('node:fs')
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}

/** Waits until `pid` has ended, polling every `pollMs`; SIGKILL once `timeoutMs` has passed. */
export async function processExit(pid: number, timeoutMs = 10_000, pollMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (processAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Gone meanwhile.
      }
      return
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
