import {argumentKind, EMAIL_OPTIONS} from './argument-kinds.js'
import {type CompletionCommand, commandNames, findCommand} from './command-catalog.js'
import {localCandidates} from './local-names.js'
import {remoteCandidates, type RemoteTree} from './remote-names.js'
import {type LineWord, wordsToComplete} from './line-words.js'

/** Where candidates come from: pure data and two small readers, so the engine is tested without a terminal. */
export interface CompletionSources {
  commands: CompletionCommand[]
  /** Words the first word may also be (the shell's built-ins: lcd, lpwd, history, clear). */
  extraCommands?: string[]
  /** The cached tree; undefined when not logged in (no remote candidates). */
  remote?: RemoteTree
  /** The local folder relative local paths start from. */
  localCwd: string
  /** The emails of the account's contacts; none when not logged in. */
  contacts?: () => string[]
}

/**
 * The candidates for the last of `words` (their values: quotes and escapes removed), each a whole word: a command
 * name, a flag (`--name`, `--name=` for an option), a remote or a local path depending on the argument
 * (argument-kinds.ts). Sorted, without duplicates.
 */
export function completeWords(words: string[], sources: CompletionSources): string[] {
  const word = words.at(-1) ?? ''
  if (words.length <= 1) return unique([...commandNames(sources.commands), ...(sources.extraCommands ?? [])].filter((name) => name.startsWith(word)))
  const command = findCommand(sources.commands, words[0])
  const names = command?.names ?? [words[0]]
  // megacmd.cpp getCompletionFunction: a word starting with '-' completes a flag, or after its '=' a value of it.
  if (word.startsWith('-')) return command ? unique(flagCandidates(command, word, sources)) : []
  const kind = argumentKind(names, positionOf(words, command))
  switch (kind) {
    case 'remote':
    case 'remote-folder':
      return sources.remote ? unique(remoteCandidates(sources.remote, word, kind === 'remote-folder')) : []
    case 'local':
    case 'local-folder':
      return localCandidates(sources.localCwd, word, kind === 'local-folder')
    case 'email':
      return unique(contactCandidates(sources, word))
    default:
      return []
  }
}

/** completeWords for a line typed up to the cursor; `word` is the last word as typed, the part a candidate replaces. */
export function completeLine(line: string, sources: CompletionSources): {word: LineWord; candidates: string[]} {
  const words = wordsToComplete(line)
  return {word: words.at(-1)!, candidates: completeWords(words.map((w) => w.value), sources)}
}

function flagCandidates(command: CompletionCommand, word: string, sources: CompletionSources): string[] {
  const equals = word.indexOf('=')
  if (word.startsWith('--') && equals > 0) {
    const name = word.slice(2, equals)
    const values = EMAIL_OPTIONS.has(name) ? contactCandidates(sources, '') : command.flags.find((f) => f.name === name)?.values ?? []
    return values.map((value) => `${word.slice(0, equals + 1)}${value}`).filter((candidate) => candidate.startsWith(word))
  }
  const words = command.flags.flatMap((flag) => [flag.takesValue ? `--${flag.name}=` : `--${flag.name}`, ...(flag.char ? [`-${flag.char}`] : [])])
  return words.filter((candidate) => candidate.startsWith(word))
}

function contactCandidates(sources: CompletionSources, word: string): string[] {
  return (sources.contacts?.() ?? []).filter((email) => email.startsWith(word))
}

/**
 * The position (from 1) of the last word among the command's arguments: flags are left out, and so is the value
 * after an option given without `=` (MEGAcmd discardOptionsAndFlags drops the words starting with '-').
 */
function positionOf(words: string[], command: CompletionCommand | undefined): number {
  let position = 0
  for (let i = 1; i < words.length; i++) {
    const word = words[i]
    if (i < words.length - 1 && word.startsWith('-') && word !== '-') {
      if (!word.includes('=') && takesValue(command, word)) i++
      continue
    }
    position++
  }
  return position
}

function takesValue(command: CompletionCommand | undefined, word: string): boolean {
  const name = word.replace(/^--?/, '')
  return Boolean(command?.flags.find((flag) => (word.startsWith('--') ? flag.name === name : flag.char === name))?.takesValue)
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort()
}
