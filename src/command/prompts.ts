import {UsageError} from '../errors.js'
import type {PromptKind} from '../daemon/protocol.cjs'
import {askOnTerminal} from './terminal-prompt.cjs'

/**
 * Interactive questions, only on a terminal: with no TTY (scripts, CI) a missing value is a usage error, never
 * a hang (stack.md gotcha 7).
 */

/**
 * Asks questions somewhere else than this process's terminal: a command running in the background server asks on
 * the terminal of the thin client that sent it (daemon/command-host.ts installs one per command).
 */
export interface Prompter {
  /** Whether the asking side has a terminal (its stdin and stdout are TTYs). */
  readonly interactive: boolean
  ask(kind: PromptKind, message: string): Promise<string | boolean>
}

let prompter: Prompter | undefined

/** Routes the questions of the running command to `target` (undefined: this process's own terminal). */
export function usePrompter(target: Prompter | undefined): void {
  prompter = target
}

export function canPrompt(): boolean {
  const interactive = prompter ? prompter.interactive : Boolean(process.stdin.isTTY && process.stdout.isTTY)
  return interactive && process.env.MEGA_NO_PROMPT !== '1'
}

function ask(kind: PromptKind, message: string, what: string): Promise<string | boolean> {
  if (!canPrompt()) throw new UsageError(`Extra args required in non-interactive mode: ${what}`)
  return prompter ? prompter.ask(kind, message) : askOnTerminal(kind, message)
}

export async function askText(message: string, what: string): Promise<string> {
  return String(await ask('text', message, what))
}

export async function askSecret(message: string, what: string): Promise<string> {
  return String(await ask('secret', message, what))
}

export async function askConfirm(message: string, what: string): Promise<boolean> {
  return (await ask('confirm', message, what)) === true
}
