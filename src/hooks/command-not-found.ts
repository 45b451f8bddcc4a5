import type {Hook} from '@oclif/core'
import {ExitCode} from '../errors.js'

/** An unknown command is a usage error in MEGAcmd (exit 51), reported on one line. */
const hook: Hook<'command_not_found'> = async function (options) {
  const name = options.id.replace(/:/g, ' ')
  process.stderr.write(`Command not found: ${name}. Run "${options.config.bin} help" for the list of commands.\n`)
  process.exitCode = ExitCode.EARGS
}

export default hook
