/**
 * A command host: a process the background server keeps warm (oclif's configuration and every plugin's commands
 * already loaded) to run the commands of thin clients, one at a time, each exactly as `bin/run.js` would run it
 * (oclif's execute(): the same parsing, help, --json, errors and exit codes). Forked by host-pool.ts:
 * `node command-host.js --root <package root>`.
 *
 * Per command it takes on the client's cwd, its forwarded environment, its terminal facts (process.stdout.isTTY,
 * columns, as canPrompt() and progress bars read them) and argv; its stdout and stderr go to the server over IPC
 * (host-output.ts), its questions to the client's terminal (prompts.ts Prompter), its service calls to the server.
 * After a command it is reused only when it is clean: not interrupted, and nothing of the command left running
 * (no timer, socket or child process keeping the event loop busy). Otherwise it ends and the pool starts another.
 *
 * Process-wide state a command changes is reset before the next: the environment, the cwd, the interrupt
 * (command/interrupt.ts), process.exitCode, the prompter, the live-feed flag. What is kept from one command to the
 * next is what cannot differ from a fresh load: oclif's configuration (warm-config.ts) and the open cache while its
 * files are untouched (store/kept-cache.ts).
 */
import {parseArgs} from 'node:util'
import {join} from 'node:path'
import type {PromptAnswer, PromptKind, ServiceResult, JsonValue} from './protocol.cjs'
import {isForwardedVariable} from './protocol.cjs'
import {type FromHost, HOST_OWN_VARIABLES, type HostJob, type ToHost} from './host-messages.js'
import {HostOutput} from './host-output.js'

/** A host runs at most this many commands, so that slow leaks of a long life cannot add up. */
const MAX_JOBS = 500

let connected = true
function send(message: FromHost, done?: () => void): void {
  if (!connected || !process.send) return done?.()
  try {
    process.send(message, undefined, {}, (error) => {
      if (error) connected = false
      done?.()
    })
  } catch {
    connected = false
    done?.()
  }
}

// Before anything can write (or bind the global console to the real stdout): the command's output goes to the server.
const stdout = new HostOutput(1, send)
const stderr = new HostOutput(2, send)
Object.defineProperty(process, 'stdout', {configurable: true, enumerable: true, get: () => stdout})
Object.defineProperty(process, 'stderr', {configurable: true, enumerable: true, get: () => stderr})

const {values} = parseArgs({options: {root: {type: 'string'}}})
const root = values.root ?? process.cwd()

const {resetInterrupt, interrupted} = await import('../command/interrupt.js')
let job: HostJob | undefined
let jobsRun = 0
/** Commands whose module is loaded (preloadCommands). */
let preloaded = 0

/** The server went away (it stopped, or was killed): an idle host ends, a busy one interrupts its command first. */
process.on('disconnect', () => {
  connected = false
  stdout.acknowledge(Number.MAX_SAFE_INTEGER)
  stderr.acknowledge(Number.MAX_SAFE_INTEGER)
  if (job) process.kill(process.pid, 'SIGTERM')
  else process.exit(0)
})

/** An interrupt no command claimed: the command ends here, with 130, once "Interrupted" is out. */
resetInterrupt((code) => {
  // No command: the pool retires this host (host-pool.ts retire()).
  if (!job) process.exit(0)
  stderr.write('Interrupted\n')
  void Promise.all([stdout.flushed(), stderr.flushed()]).then(() => send({t: 'done', code, reusable: false}, () => process.exit(code)))
})

// One colour level for every client's command, fixed when oclif loads: none (its stdout is a relay, often to a pipe).
const {colourOnlyOnTerminal} = await import('../command/output-colour.cjs')
colourOnlyOnTerminal(false)
const {settings} = await import('@oclif/core')
const {Exit} = await import('@oclif/core/handle')
const {usePrompter} = await import('../command/prompts.js')
const {setLiveFeedSession} = await import('./feed-state.js')
const {useHostLink} = await import('./server-client.js')
const {setRequestLog} = await import('../api/request-log.js')
const {UsageError, CommandError} = await import('../errors.js')
const {userPluginsStamp} = await import('./user-plugins.js')
const {WarmConfig} = await import('./warm-config.js')
const {keepCachesOpen} = await import('../store/kept-cache.js')
keepCachesOpen()

// Linked plugins run from their compiled JavaScript: oclif would otherwise warn on every command that a linked ESM
// plugin cannot be transpiled from its TypeScript (@oclif/core lib/config/ts-path.js tsPath).
settings.enableAutoTranspile = false
const warm = await WarmConfig.load(root)
const {config} = warm
/**
 * The user plugins this host loaded, as the server compares them (user-plugins.ts). oclif gives the folder only once
 * loaded, so it is read just after: a change in the milliseconds between oclif's read and this one waits for the next.
 */
const plugins = userPluginsStamp(config.dataDir)
/** What the process's own environment says of the variables jobs bring: restored to it before each job. */
const serverEnvironment = {...process.env}
/** The event loop's own handles when idle, to tell a command's leftovers from them. */
const idleResources = countResources()

// oclif's error handler ends the process with Exit.exit(code) (errors/handle.js); here the command ends instead.
let exitCode: number | undefined
Exit.exit = ((code = 0) => {
  exitCode = code
}) as typeof Exit.exit

let nextRequest = 0
const pendingPrompts = new Map<number, (answer: PromptAnswer) => void>()
const pendingCalls = new Map<number, (result: ServiceResult) => void>()

process.on('message', (message: ToHost) => {
  switch (message.t) {
    case 'job':
      void runJob(message.job)
      break
    case 'prompt-answer':
      pendingPrompts.get(message.answer.id)?.(message.answer)
      pendingPrompts.delete(message.answer.id)
      break
    case 'service-result':
      pendingCalls.get(message.result.id)?.(message.result)
      pendingCalls.delete(message.result.id)
      break
    case 'out-ack':
      ;(message.fd === 1 ? stdout : stderr).acknowledge(message.bytes)
      break
  }
})
// The commands' API requests go to the server's log, which keeps or drops them by its level (`log -s`).
setRequestLog((line) => send({t: 'api-request', line}))
send({t: 'ready', plugins})
void preloadCommands()

async function runJob(next: HostJob): Promise<void> {
  job = next
  jobsRun++
  exitCode = undefined
  process.exitCode = undefined
  resetInterrupt()
  applyEnvironment(next.env)
  stdout.setTerminal(next.tty.stdout, next.tty.columns, next.tty.rows)
  stderr.setTerminal(next.tty.stderr, next.tty.columns, next.tty.rows)
  // oclif's error handler reads process.argv for the usage it prints after a parse error.
  process.argv = [process.argv[0], join(root, 'bin', 'run.js'), ...next.argv]
  setLiveFeedSession(next.liveSession)
  usePrompter({interactive: next.tty.stdin && next.tty.stdout, ask})
  useHostLink({call: callService, stopServer: () => send({t: 'stop-server'})})
  try {
    process.chdir(next.cwd)
    await warm.execute(next.argv)
  } catch (error) {
    const code = (error as {code?: string}).code === 'ENOENT' ? 53 : 59
    stderr.write(`${code === 53 ? `${next.cwd}: No such file or directory` : (error as Error).message}\n`)
    exitCode = code
  }
  const code = exitCode ?? (typeof process.exitCode === 'number' ? process.exitCode : 0)
  await Promise.all([stdout.flushed(), stderr.flushed()])
  // oclif's execute() ends with flush() (@oclif/core lib/flush.js), which adds a 'drain' listener to stdout before
  // a write('') that needs no drain: it is never removed. One per command adds up in a host that runs hundreds
  // (MaxListenersExceededWarning on the client's stderr after ten); nothing of an ended command waits for a drain.
  stdout.removeAllListeners('drain')
  const reusable = !interrupted() && jobsRun < MAX_JOBS && !leftovers()
  job = undefined
  // The command may have claimed the interrupt (a transfer does): an idle host's SIGTERM (the server stopping, the
  // pool retiring it) must end it, not abort a command that is over — else `quit` after a `get` waits for ever.
  resetInterrupt()
  usePrompter(undefined)
  useHostLink(undefined)
  setLiveFeedSession(undefined)
  send({t: 'done', code, reusable}, () => {
    if (!reusable) process.exit(code)
  })
  void preloadCommands()
}

/** The job's forwarded variables replace those of the previous job; the host's own stay (host-messages.ts). */
function applyEnvironment(env: Record<string, string>): void {
  for (const name of Object.keys(process.env)) if (isForwardedVariable(name) && !HOST_OWN_VARIABLES.has(name)) delete process.env[name]
  for (const [name, value] of Object.entries(serverEnvironment)) if (HOST_OWN_VARIABLES.has(name) && value !== undefined) process.env[name] = value
  for (const [name, value] of Object.entries(env)) if (isForwardedVariable(name) && !HOST_OWN_VARIABLES.has(name)) process.env[name] = value
}

async function ask(kind: PromptKind, message: string): Promise<string | boolean> {
  const id = ++nextRequest
  // What the command printed before its question reaches the client first (output is sent a tick late, host-output.ts).
  await Promise.all([stdout.flushed(), stderr.flushed()])
  const answer = await new Promise<PromptAnswer>((resolve) => {
    pendingPrompts.set(id, resolve)
    send({t: 'prompt', request: {id, kind, message}})
  })
  if (answer.cancelled) throw Object.assign(new Error('Cancelled'), {name: 'ExitPromptError'})
  if (answer.unavailable || answer.value === undefined) throw new UsageError('Extra args required in non-interactive mode: the client has no terminal')
  return answer.value
}

async function callService(service: string, method: string, params: JsonValue | undefined): Promise<JsonValue> {
  const id = ++nextRequest
  const result = await new Promise<ServiceResult>((resolve) => {
    pendingCalls.set(id, resolve)
    send({t: 'service-call', call: {id, service, method, params}})
  })
  if (result.error) throw new CommandError(result.error.message, result.error.exitCode)
  return result.result ?? null
}

/**
 * The handles keeping the event loop alive, by type. One-shot requests (FSReqPromise, CloseReq, GetAddrInfoReqWrap…)
 * end by themselves and are not counted: a file write the command left in flight finishes whatever comes next.
 */
function countResources(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const type of process.getActiveResourcesInfo()) if (!/Req/.test(type)) counts.set(type, (counts.get(type) ?? 0) + 1)
  return counts
}

/** Something the command started still keeps the event loop busy (a ref'd timer, socket, child, file request). */
function leftovers(): boolean {
  for (const [type, count] of countResources()) if (count > (idleResources.get(type) ?? 0)) return true
  return false
}

/** Imports every command's module while idle (a command pauses it), so that no command pays for loading its plugin. */
async function preloadCommands(): Promise<void> {
  const commands = config.commands
  while (preloaded < commands.length && !job) {
    try {
      await commands[preloaded++].load()
    } catch {
      // A plugin whose module does not load fails the same way when its command is run: reported then.
    }
  }
}
