import type {Hook} from '@oclif/core'
import {ExitCode} from '../errors.js'
import {printable} from '../format/printable.js'

/**
 * An unknown command is a usage error in MEGAcmd (exit 51), reported on one line. With spaces between topic
 * and command, oclif folds the words after a command that takes no arguments into the command's id
 * (`pwd extra` → `pwd:extra`), so such an id that starts with a real command is that command given an
 * argument it does not take.
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const words = options.id.split(':')
  for (let n = words.length - 1; n > 0; n--) {
    const command = options.config.findCommand(words.slice(0, n).join(':'))
    if (command) {
      const name = words.slice(0, n).join(' ')
      process.stderr.write(`Unexpected argument: ${printable(words.slice(n).join(' '))} (see "${options.config.bin} ${name} --help")\n`)
      process.exitCode = ExitCode.EARGS
      return
    }
  }
  process.stderr.write(`Command not found: ${printable(words.join(' '))}. Run "${options.config.bin} help" for the list of commands.\n`)
  process.exitCode = ExitCode.EARGS
}

export default hook
