// One `mega` command through the built binary, as a user runs it (a new process), under GNU time: its wall clock, its
// CPU time (user + system: on a busy machine they say more than the wall clock) and peak RSS, and the lines it printed.
import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const MEGA_BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

/** Runs `mega <args>`; resolves with {ms, cpuMs, maxRssMiB, lines}, rejects when it fails. */
export function timedMega(args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M', process.execPath, MEGA_BIN, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
    let lines = 0
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      for (const byte of chunk) if (byte === 10) lines++
    })
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - t0
      if (code !== 0) return reject(new Error(`mega ${args.join(' ')} exited ${code}: ${stderr}`))
      // GNU time's line is the last one; %M is in KiB.
      const [user, system, rss] = stderr.trim().split('\n').pop().split(' ').map(Number)
      resolve({ms, cpuMs: (user + system) * 1000, maxRssMiB: rss / 1024, lines})
    })
  })
}
