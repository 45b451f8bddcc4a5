/**
 * Whether a process still runs, and waiting for one to end: for the background server, the local server and the
 * writers of partial downloads. CommonJS, as the thin client that retires an old server loads it.
 */

/** True while `pid` exists, also when it belongs to another user (EPERM). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
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
