import {CommandError, MegaError} from '../errors.js'
import {type Failure, toFailure} from './exit-codes.js'

/**
 * The failures of single arguments of a command that carries on with its other arguments, as MEGAcmd's
 * ls, mkdir, rm and mv do: each failure is logged and overwrites the command's out code
 * (setCurrentThreadOutCode), so the command ends with the exit code of the last one. Only an argument's own
 * failure (a CommandError, or an API error about that node) is collected; anything else (a dead session, an
 * interrupt, a network failure) still ends the command at once.
 */
export class ArgumentFailures {
  readonly failures: Failure[] = []

  add(error: unknown): void {
    const ownFailure = error instanceof CommandError || (error instanceof MegaError && error.code !== -15)
    if (!ownFailure) throw error
    this.failures.push(toFailure(error))
  }

  get last(): Failure | undefined {
    return this.failures.at(-1)
  }
}
