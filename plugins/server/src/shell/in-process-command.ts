import {spawn} from 'node:child_process'
import {join} from 'node:path'

/**
 * A command the background server cannot run (its socket is another user's, it failed to start) runs in a process
 * of its own, `mega <cmd>` (bin/run.js), as the thin client's fallback does (thin-client.cts runInProcess). It is
 * in the terminal's foreground process group: a Ctrl-C typed reaches it directly. Resolves with its exit code.
 */
export function runInProcess(root: string, argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'run.js'), ...argv], {stdio: 'inherit'})
    child.once('error', (error) => {
      process.stderr.write(`Cannot run the command: ${error.message}\n`)
      resolve(59)
    })
    // Killed by a signal: 128 + its number, as a shell reports it (SIGINT → 130).
    child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 128 + 15)))
  })
}
