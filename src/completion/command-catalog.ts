import type {Config} from '@oclif/core'

/** What completion knows of a command: the names it answers to and its flags (from the oclif manifests). */
export interface CompletionCommand {
  /** Its id (`browse:ls`) and aliases (`ls`). */
  names: string[]
  flags: CompletionFlag[]
}

export interface CompletionFlag {
  name: string
  char?: string
  /** An option (`--time-format=…`) rather than a switch. */
  takesValue: boolean
  /** The values an option accepts, when it lists them. */
  values?: readonly string[]
}

/**
 * The visible commands of an oclif configuration, read from the root's and the plugins' manifests (nothing is
 * imported: a command's flags are in its manifest entry).
 */
export function commandCatalog(config: Config): CompletionCommand[] {
  return config.commands.filter((command) => !command.hidden).map((command) => ({
    names: [command.id, ...command.aliases],
    flags: Object.entries(command.flags).filter(([, flag]) => !flag.hidden).map(([name, flag]) => ({
      name, char: flag.char, takesValue: flag.type === 'option', values: flag.type === 'option' ? flag.options : undefined,
    })),
  }))
}

/** The names a user types for the commands: their aliases, and the ids of those without one. */
export function commandNames(catalog: CompletionCommand[]): string[] {
  return catalog.flatMap((command) => (command.names.length > 1 ? command.names.slice(1) : command.names))
}

export function findCommand(catalog: CompletionCommand[], name: string): CompletionCommand | undefined {
  const id = name.replace(/ /g, ':')
  return catalog.find((command) => command.names.includes(id))
}
