import type {ListedCommand} from './command-names.js'

/** MEGAcmd's introduction to its command list (MEGAcmd src/megacmd.cpp "help"), with the lines that apply to us. */
export const HELP_INTRO: readonly string[] = [
  'Here is the list of available commands and their usage',
  'Use "help -f" to get a brief description of the commands',
  'You can get further help on a specific command with "command --help" ',
  'Alternatively, you can use "help <command>" to get the complete description of a command',
  'In scripts, run each command as "mega-<command> …" (through the background server) or "mega <command> …"',
]

export const HELP_OUTRO = 'Verbosity: You can increase the amount of information given by any command by passing "-v"'

/**
 * The names in three columns, filled down first, as MEGAcmd prints them (MEGAcmd src/megacmd.cpp
 * printAvailableCommands): six spaces, two columns 20 wide (two spaces at least after a longer name), six spaces,
 * the third; a last short row when the count is not a multiple of three.
 */
export function commandColumns(names: readonly string[]): string[] {
  const size = names.length
  const third = Math.ceil(size / 3)
  const twoThirds = 2 * Math.floor(size / 3) + (size % 3)
  const column = (name: string) => name.padEnd(Math.max(20, name.length + 2))
  const lines: string[] = []
  let row = 0
  for (; third + row < twoThirds && twoThirds + row < size; row++) {
    lines.push(`      ${column(names[row])}${column(names[third + row])}      ${names[twoThirds + row]}`)
  }
  if (size % 3) lines.push(`      ${column(names[row])}${size % 3 > 1 ? column(names[third + row]) : ''}`.trimEnd())
  return lines
}

/** `help -f`: one line per command, `usage: summary` (MEGAcmd printAvailableCommands(extensive = 1)). */
export function commandSummaries(commands: readonly ListedCommand[]): string[] {
  return commands.map((command) => `      ${command.usage}: ${command.summary}`)
}
