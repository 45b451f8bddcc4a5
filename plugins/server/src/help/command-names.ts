import type {Command, Config} from '@oclif/core'

/** A command as `help` lists it: the name users type, its usage line and its one-line summary. */
export interface ListedCommand {
  name: string
  usage: string
  summary: string
}

/**
 * Every visible command of every plugin, under the names a MEGAcmd user types: its one-word aliases (`ls`, `quit`,
 * `exit`, which are MEGAcmd's names) and its id when that is one word (`server`); a command with neither by its id
 * as typed after `mega` (`server start`). Sorted, as MEGAcmd's std::set of names is (MEGAcmd src/megacmd.cpp
 * printAvailableCommands).
 */
export function listedCommands(config: Config): ListedCommand[] {
  const listed = new Map<string, ListedCommand>()
  for (const command of config.commands) {
    if (command.hidden) continue
    const words = [command.id, ...command.aliases].filter((name) => !name.includes(':'))
    const names = words.length ? words : [command.id.replaceAll(':', ' ')]
    for (const name of new Set(names)) listed.set(name, {name, usage: usageOf(name, command), summary: summaryOf(command)})
  }
  return [...listed.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** Global flags every command has (MegaCommand: --json, -v): left out of each usage line, as MEGAcmd leaves out -v. */
const GLOBAL_FLAGS = new Set(['json', 'verbose'])

/**
 * The command's own usage line when it has one (it starts with a MEGAcmd name: `ls [-halRr] …`, told under the name
 * listed), else one built from its flags and arguments: `df [-h] [--time-format=TIME-FORMAT] [path]`.
 */
function usageOf(name: string, command: Command.Loadable): string {
  const own = [command.usage ?? []].flat()[0]
  if (own) return name + (own.includes(' ') ? own.slice(own.indexOf(' ')) : '')
  const flags = Object.entries(command.flags)
    .filter(([flagName, flag]) => !flag.hidden && !GLOBAL_FLAGS.has(flagName))
    .map(([flagName, flag]) => {
      const spelled = flag.char ? `-${flag.char}` : `--${flagName}`
      return flag.type === 'option' ? `[${spelled}${flag.char ? ' ' : '='}${flagName.toUpperCase()}]` : `[${spelled}]`
    })
  const args = Object.entries(command.args).map(([argName, arg]) => (arg.required ? argName : `[${argName}]`))
  return [name, ...flags, ...args].join(' ')
}

function summaryOf(command: Command.Loadable): string {
  return (command.summary ?? command.description ?? '').split('\n')[0].trim()
}
