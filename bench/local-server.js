// The local MEGA-compatible server as a separate process on a random loopback port, for the benchmarks.
// MEGA_BENCH_SERVER_PROFILE=<dir>: the server runs under `node --cpu-prof` and writes its profile there on exit.
import {spawn} from 'node:child_process'
import {serverMainPath} from '@mega-shell/plugin-local-server'

/** Starts the server on `dataDir`; resolves with its URL and process once it listens. */
export function startServer(dataDir) {
  return new Promise((resolve, reject) => {
    const profile = process.env.MEGA_BENCH_SERVER_PROFILE
    const nodeArgs = profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []
    const child = spawn(process.execPath, [...nodeArgs, serverMainPath(), '--port', '0', '--data', dataDir], {stdio: ['ignore', 'pipe', 'inherit']})
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk
      const match = out.match(/listening on (http:\/\/\S+)/)
      if (match) resolve({url: match[1].endsWith('/') ? match[1] : `${match[1]}/`, process: child})
    })
    child.on('exit', (code) => reject(new Error(`the local server exited (${code})`)))
  })
}

/** Stops the server and waits until it has exited (its database closed, so its data folder can be copied). */
export function stopServer(server) {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    server.process.once('exit', () => resolve())
    server.process.kill('SIGTERM')
  })
}
