import {type ChildProcess, spawn} from 'node:child_process'

/**
 * Runs a command in a real pseudo-terminal through util-linux `script`, so prompts see a TTY. `answers`
 * are typed one at a time, each once its prompt (a regexp over the output so far) has appeared.
 */
export interface PtyResult {
  output: string
  code: number
}

export function runInPty(command: string[], env: NodeJS.ProcessEnv, answers: Array<{prompt: RegExp; input: string}>, timeoutMs = 30000): Promise<PtyResult> {
  const quoted = command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', quoted, '/dev/null'], {env: {...env, TERM: 'xterm'}, stdio: ['pipe', 'pipe', 'pipe']})
    let output = ''
    let next = 0
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`pty command timed out; output so far:\n${output}`))
    }, timeoutMs)
    const onData = (chunk: string) => {
      output += chunk
      while (next < answers.length && answers[next].prompt.test(output)) {
        const {input} = answers[next++]
        // Give the prompt a moment to switch the terminal to raw mode before typing.
        setTimeout(() => child.stdin.write(input), 150)
      }
    }
    child.stdout.setEncoding('utf8').on('data', onData)
    child.stderr.setEncoding('utf8').on('data', onData)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({output, code: code ?? -1})
    })
  })
}

/** What a terminal's output shows as text: colours, cursor moves and carriage returns are not text. */
// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r/y

/** Terminal output as text: colours, cursor moves and carriage returns removed. */
export function plainText(output: string): string {
  return visibleText(output).text
}

/** The text of `output` and, for each of its characters, the offset in `output` just after it. */
function visibleText(output: string): {text: string; ends: number[]} {
  let text = ''
  const ends: number[] = []
  for (let i = 0; i < output.length;) {
    CONTROL.lastIndex = i
    if (CONTROL.test(output)) {
      i = CONTROL.lastIndex
      continue
    }
    text += output[i++]
    ends.push(i)
  }
  return {text, ends}
}

/**
 * An interactive program in a pseudo-terminal (util-linux `script`), driven key by key: `type` sends keystrokes,
 * `expect` waits until the output since the last match (colours and cursor moves removed) matches.
 */
export class PtySession {
  readonly child: ChildProcess
  /** Everything the terminal showed so far, raw. */
  output = ''
  /** The exit code of `script` (that of the program). */
  readonly exited: Promise<number>
  private seen = 0
  private waiters: Array<() => void> = []

  constructor(command: string[], env: NodeJS.ProcessEnv, options: {cwd?: string; columns?: number} = {}) {
    const quoted = command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
    // A fixed width, so that readline's line wrapping does not depend on the machine running the tests.
    const sized = `stty cols ${options.columns ?? 200} rows 50; exec ${quoted}`
    this.child = spawn('script', ['-qfec', sized, '/dev/null'], {env: {...env, TERM: 'xterm'}, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe']})
    const onData = (chunk: string): void => {
      this.output += chunk
      for (const wake of this.waiters.splice(0)) wake()
    }
    this.child.stdout!.setEncoding('utf8').on('data', onData)
    this.child.stderr!.setEncoding('utf8').on('data', onData)
    this.exited = new Promise((resolve) => this.child.on('close', (code) => {
      for (const wake of this.waiters.splice(0)) wake()
      resolve(code ?? -1)
    }))
  }

  /** Sends keys as typed (`\t` is Tab, `\r` Enter, `\x03` Ctrl-C, `\x04` Ctrl-D, `\x1b[A` the up arrow). */
  type(keys: string): void {
    this.child.stdin!.write(keys)
  }

  /** Waits for `pattern` in the output after the previous match, and returns that text up to the end of the match. */
  async expect(pattern: RegExp, timeoutMs = 20000): Promise<string> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const {text, ends} = visibleText(this.output.slice(this.seen))
      const match = pattern.exec(text)
      if (match) {
        const end = match.index + match[0].length
        if (end > 0) this.seen += ends[end - 1]
        return text.slice(0, end)
      }
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`expected ${pattern} in the terminal; it shows:\n${plainText(this.output.slice(this.seen))}`)
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** Ends the program if it is still running. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}
