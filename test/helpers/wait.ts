import type {CliResult} from './cli.js'

/**
 * Polls `probe` (every 10 ms; an async probe is awaited) until it returns something other than undefined or false, and returns that.
 * Tests wait for what they can observe (a file, a server state), never for a fixed time. `process` is the
 * command whose progress is awaited: if it ends first, waiting is pointless and fails with its output.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, process?: Promise<CliResult>, timeoutMs = 60000): Promise<T> {
  let ended: CliResult | undefined
  void process?.then((result) => (ended = result))
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (ended) throw new Error(`ended before ${what}: exit ${ended.code}\nstdout: ${ended.stdout}\nstderr: ${ended.stderr}`)
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
