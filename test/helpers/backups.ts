import {MegaUser} from './cli.js'
import {waitFor} from './wait.js'

/** A run of a backup as `backup -l --json` shows it (plugins/backup/src/service/backup-protocol.ts). */
export interface ListedRun {
  name: string
  state: string
  filesDone: number
  filesTotal: number
  foldersCreated: number
  bytesUploaded: number
  filesCopied: number
  filesFailed: number
}

export interface ListedBackup {
  tag: number
  localPath: string
  remotePath: string
  period: string
  numBackups: number
  status: string
  nextRun: number
  current?: ListedRun
  history?: Array<{name: string; date: number; state: string; files: number; folders: number; size: number}>
}

/**
 * `mega-backup -h --json [target]`: the backups, each with its run folders in the cloud. Through the thin client: a
 * test polls this, and a whole `mega` process per poll would take a core from the server it waits for.
 */
export async function backupsOf(user: MegaUser, target?: string): Promise<ListedBackup[]> {
  const result = await user.runClient('backup', ['-h', '--json', ...(target ? [target] : [])])
  if (result.code !== 0) throw new Error(`backup --json failed (${result.code}): ${result.stderr}`)
  return (JSON.parse(result.stdout) as {backups: ListedBackup[]}).backups
}

/** Waits until the backup's current (or last) run satisfies `done`; returns the backup. */
export function waitForRun(user: MegaUser, tag: number, what: string, done: (run: ListedRun) => boolean, timeoutMs = 60000): Promise<ListedBackup> {
  return waitFor(`backup ${tag}: ${what}`, async () => {
    const [backup] = await backupsOf(user, String(tag))
    return backup.current && done(backup.current) ? backup : undefined
  }, undefined, timeoutMs)
}

/**
 * A 6-field cron expression (UTC, seconds first) whose only slot of the day is `seconds` from now: a test triggers
 * exactly one more run of a backup with it, at a time it knows, and no other for a day.
 */
export function cronIn(seconds: number): {period: string; at: number} {
  const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + seconds * 1000)
  return {period: `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`, at: at.getTime()}
}

/**
 * Sets backup `tag`'s period to a cron expression whose one slot of the day is `seconds` away, and returns that slot.
 * Under load, the command itself may outlast the few seconds, and the slot is then tomorrow: it is asked again.
 */
export async function scheduleOnce(user: MegaUser, tag: number, seconds = 3): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const {period, at} = cronIn(seconds + attempt * 2)
    const result = await user.runClient('backup', [String(tag), `--period=${period}`])
    if (result.code !== 0) throw new Error(`backup --period failed (${result.code}): ${result.stderr}`)
    if ((await backupsOf(user, String(tag)))[0].nextRun * 1000 === at) return at
  }
  throw new Error(`backup ${tag}: no slot a few seconds away could be scheduled`)
}

/** A cron expression that does not come for a day: a backup made with it runs once, at once. */
export function cronOnceADay(): string {
  return cronIn(-3600).period
}

/**
 * A user of the suite's local server, logged in before the suite's tests (as `user()`), whose background server is
 * stopped after them.
 */
export function loggedInUser(server: () => {url: string}, email: string, password: string): () => MegaUser {
  let user: MegaUser | undefined
  before(async function () {
    user = new MegaUser(server().url)
    await user.login(email, password)
  })
  after(async function () {
    await user?.stopServer()
  })
  return () => user!
}
