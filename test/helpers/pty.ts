import {spawn} from 'node:child_process'

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
