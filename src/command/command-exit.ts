/**
 * The end of a `mega` process (bin/run.js, bin/shim.js) once oclif's execute() has returned: the command is over
 * (long-running ones — `server`, `local-server:start --foreground`, `shell` — return only when they stop), so the
 * process leaves as soon as its output is out, instead of when the event loop drains by itself. What kept it
 * alive was only leftovers: the API client's idle keep-alive connection (fetch's pool) held it 150–400 ms after
 * every command that made a request. process.exit() takes process.exitCode, which oclif and the commands set.
 *
 * This module imports nothing: the bin scripts load it before @oclif/core.
 */
export async function exitWhenWritten(): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => (stream.writableLength > 0 ? new Promise((resolve) => stream.once('drain', resolve)) : undefined)))
  process.exit()
}
