import type {PromptKind} from '../daemon/protocol.cjs'

/**
 * Asks one question on this process's terminal. The one implementation of the questions commands ask: a command
 * run in-process asks through it directly (prompts.ts), and the thin client asks through it when a command
 * running in the background server sends a prompt request, so both look and validate alike.
 * @inquirer/prompts is imported here, lazily: it costs ~60 ms to load.
 */
export async function askOnTerminal(kind: PromptKind, message: string): Promise<string | boolean> {
  const prompts = await import('@inquirer/prompts')
  switch (kind) {
    case 'secret':
      return prompts.password({message, mask: '*', validate: (v) => v.length > 0 || 'a value is required'})
    case 'confirm':
      return prompts.confirm({message, default: false})
    default:
      return prompts.input({message, validate: (v) => v.trim().length > 0 || 'a value is required'})
  }
}
