import {setMaxListeners} from 'node:events'
/**
 * Ctrl-C (SIGINT) and SIGTERM for a command process. The handler is installed the moment the process starts
 * (bin/run.js, bin/shim.js), before oclif loads anything: a signal in the first ~200 ms must exit 130 like any
 * other, not kill the process by signal. A command that has work to undo (a transfer with temporary files)
 * claims the interrupt with `commandInterrupt()`: the first signal then aborts it and the command cleans up and
 * fails with exit 130; a second signal, or a signal when nothing claimed it, leaves at once with 130.
 *
 * This module imports nothing heavy: the bin scripts load it before @oclif/core.
 */
const INTERRUPTED_EXIT = 130

let installed = false
let controller: AbortController | undefined
let leave = (code: number): void => {
  process.stderr.write('Interrupted\n')
  process.exit(code)
}

/** The reason an interrupted command fails with; exit-codes.ts maps its exitCode. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError'
  readonly exitCode = INTERRUPTED_EXIT
  constructor(readonly signal: NodeJS.Signals = 'SIGINT') {
    super('Interrupted')
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (controller && !controller.signal.aborted) {
    controller.abort(new InterruptedError(signal))
    return
  }
  leave(INTERRUPTED_EXIT)
}

export function installInterruptHandler(): void {
  if (installed) return
  installed = true
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}

/** The signal the running command stops on; asking for it means the command will clean up when it fires. */
export function commandInterrupt(): AbortSignal {
  installInterruptHandler()
  if (!controller) {
    controller = new AbortController()
    // Every file of a folder transfer, and every piece of a file, listens to it (32 small files at once): no leak.
    setMaxListeners(0, controller.signal)
  }
  return controller.signal
}

/**
 * For a process that runs one command after another (the background server's command hosts, daemon/command-host.ts):
 * the next command starts with an interrupt nobody claimed, and an unclaimed interrupt ends the command through
 * `exit` (which must say "Interrupted" and end the process) instead of process.exit().
 */
export function resetInterrupt(exit?: (code: number) => void): void {
  installInterruptHandler()
  controller = undefined
  if (exit) leave = exit
}

/** True when the running command was interrupted. */
export function interrupted(): boolean {
  return controller?.signal.aborted ?? false
}
