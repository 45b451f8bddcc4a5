import {isatty} from 'node:tty'
import {decodeJson, type ErrorNotice, type ExitNotice, type ForwardedSignal, type Frame, FrameType, type PromptAnswer, type PromptRequest, type RunRequest, type TtyFacts} from './protocol.cjs'
import type {ServerConnection} from './server-connection.cjs'

/**
 * One command run by the server, seen from a client (the `mega-<cmd>` thin client, the interactive shell): send
 * RUN, stream its STDOUT/STDERR to this process's stdout/stderr, answer its prompts on this terminal, and resolve
 * with its exit code. Loads nothing but node built-ins and the protocol (the thin client's start-up counts).
 */

/** Exit code of a command whose server went away mid-command (MEGAcmd's EUNEXPECTED). */
export const SERVER_LOST_EXIT = 59

export interface RelayedCommand {
  /** The command's exit code, once it has ended (59 with a line on stderr when the server went away). */
  exit: Promise<number>
  /** Forwards a signal (Ctrl-C) to the command: it is interrupted and ends with 130. */
  signal(signal: ForwardedSignal): void
}

export function relayCommand(connection: ServerConnection, request: RunRequest): RelayedCommand {
  let exitCode: number | undefined
  let resolveExit: (code: number) => void
  const exit = new Promise<number>((resolve) => (resolveExit = resolve))
  // Flow control: a full stdout or stderr pauses the socket until it drains (one listener per stream at a time).
  const draining = new Set<NodeJS.WriteStream>()
  const write = (stream: NodeJS.WriteStream, bytes: Buffer): void => {
    // A reader that went away (`| head -1`, EPIPE) is ignored, as oclif does in-process: the command still ends normally.
    if (!stream.writable) return
    if (stream.write(bytes) || draining.has(stream)) return
    draining.add(stream)
    connection.socket.pause()
    stream.once('drain', () => {
      draining.delete(stream)
      if (!draining.size) connection.socket.resume()
    })
  }
  connection.onFrame((frame: Frame) => {
    switch (frame.type) {
      case FrameType.STDOUT:
        return write(process.stdout, frame.payload)
      case FrameType.STDERR:
        return write(process.stderr, frame.payload)
      case FrameType.PROMPT:
        return void answerPrompt(connection, decodeJson<PromptRequest>(frame))
      case FrameType.EXIT:
        exitCode = decodeJson<ExitNotice>(frame).code
        return connection.close()
      case FrameType.ERROR: {
        const notice = decodeJson<ErrorNotice>(frame)
        process.stderr.write(`${notice.message}\n`)
        exitCode = notice.exitCode
        return connection.close()
      }
      default:
        return undefined
    }
  })
  connection.onClose((failure) => {
    if (exitCode === undefined) {
      const why = failure ? `: ${failure.message}` : ''
      process.stderr.write(`The mega-shell server stopped before the command ended${why}\n`)
    }
    resolveExit(exitCode ?? SERVER_LOST_EXIT)
  })
  connection.sendJson(FrameType.RUN, request)
  return {exit, signal: (signal) => connection.sendJson(FrameType.SIGNAL, {signal})}
}

/** What this process's terminal is, for the command to believe (prompts, progress bars, columns). */
export function ttyFacts(): TtyFacts {
  const stdout = isatty(1)
  const stderr = isatty(2)
  const facts: TtyFacts = {stdin: isatty(0), stdout, stderr}
  const terminal = stdout ? process.stdout : stderr ? process.stderr : undefined
  if (terminal) {
    facts.columns = terminal.columns
    facts.rows = terminal.rows
  }
  return facts
}

async function answerPrompt(connection: ServerConnection, request: PromptRequest): Promise<void> {
  let answer: PromptAnswer
  if (!isatty(0) || !isatty(1)) {
    answer = {id: request.id, unavailable: true}
  } else {
    try {
      const {askOnTerminal} = await import('../command/terminal-prompt.cjs')
      answer = {id: request.id, value: await askOnTerminal(request.kind, request.message)}
    } catch (error) {
      // Ctrl-C or Ctrl-D in the prompt (@inquirer's ExitPromptError): the command reports the cancellation.
      answer = {id: request.id, cancelled: true}
      if ((error as Error).name !== 'ExitPromptError') process.stderr.write(`${(error as Error).message}\n`)
    }
  }
  connection.sendJson(FrameType.PROMPT_ANSWER, answer)
}
