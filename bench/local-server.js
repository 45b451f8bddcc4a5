// The local MEGA-compatible server as a separate process on a random loopback port, for the benchmarks.
import {spawn} from 'node:child_process'
import {serverMainPath} from '@mega-shell/plugin-local-server'

/** Starts the server on `dataDir`; resolves with its URL and process once it listens. */
export function startServer(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverMainPath(), '--port', '0', '--data', dataDir], {stdio: ['ignore', 'pipe', 'inherit']})
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk
      const match = out.match(/listening on (http:\/\/\S+)/)
      if (match) resolve({url: match[1].endsWith('/') ? match[1] : `${match[1]}/`, process: child})
    })
    child.on('exit', (code) => reject(new Error(`the local server exited (${code})`)))
  })
}
