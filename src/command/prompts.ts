import {UsageError} from '../errors.js'

/**
 * Interactive questions, only on a terminal: with no TTY (scripts, CI) a missing value is a usage error, never
 * a hang (stack.md gotcha 7). @inquirer/prompts is imported lazily: it costs ~60 ms to load.
 */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && process.env.MEGA_NO_PROMPT !== '1'
}

function requireTty(what: string): void {
  if (!canPrompt()) throw new UsageError(`Extra args required in non-interactive mode: ${what}`)
}

export async function askText(message: string, what: string): Promise<string> {
  requireTty(what)
  const {input} = await import('@inquirer/prompts')
  return input({message, validate: (v) => v.trim().length > 0 || 'a value is required'})
}

export async function askSecret(message: string, what: string): Promise<string> {
  requireTty(what)
  const {password} = await import('@inquirer/prompts')
  return password({message, mask: '*', validate: (v) => v.length > 0 || 'a value is required'})
}

export async function askConfirm(message: string, what: string): Promise<boolean> {
  requireTty(what)
  const {confirm} = await import('@inquirer/prompts')
  return confirm({message, default: false})
}
