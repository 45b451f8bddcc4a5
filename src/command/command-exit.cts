/**
 * The end of a `mega` process (bin/run.js, bin/shim.js) once oclif's execute() has returned: the command is over
 * (long-running ones — `server`, `local-server:start --foreground`, `shell` — return only when they stop), so the
 * process leaves as soon as its output is out, instead of when the event loop drains by itself. What kept it
 * alive was only leftovers: the API client's idle keep-alive connection (fetch's pool) held it 150–400 ms after
 * every command that made a request. process.exit() takes process.exitCode, which oclif and the commands set.
 *
 * The thin client ends the same way, with the code its command's server sent.
 *
 * CommonJS importing nothing: the bin scripts load it before @oclif/core, and the thin client's start-up counts.
 */
export async function exitWhenWritten(code?: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => (stream.writableLength > 0 ? new Promise((resolve) => stream.once('drain', resolve)) : undefined)))
  // Not process.exit(undefined): Node 20 then clears the process.exitCode that oclif or the command set.
  if (code === undefined) process.exit()
  process.exit(code)
}
