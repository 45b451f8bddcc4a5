import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {processAlive} from '@mega-shell/core'
import Database from 'better-sqlite3'
import {DATABASE_FILE} from '../server/stores/database.js'

/** What a running server records about itself in `<data>/server.json` (start-server.ts), for status and stop. */
export interface ServerInfo {
  pid: number
  port: number
  url: string
}

export const SERVER_INFO_FILE = 'server.json'
export const SERVER_LOG_FILE = 'server.log'

export function readServerInfo(dataDir: string): ServerInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, SERVER_INFO_FILE), 'utf8')) as Partial<ServerInfo>
    if (typeof parsed.pid !== 'number' || typeof parsed.port !== 'number' || typeof parsed.url !== 'string') return undefined
    return {pid: parsed.pid, port: parsed.port, url: parsed.url}
  } catch {
    return undefined
  }
}

export function writeServerInfo(dataDir: string, info: ServerInfo): void {
  writeFileSync(join(dataDir, SERVER_INFO_FILE), JSON.stringify(info, null, 2) + '\n', {mode: 0o600})
}

/** Removes server.json when it describes process `pid` (the server itself calls this as it exits). */
export function clearServerInfoIfOwn(dataDir: string, pid: number): void {
  if (readServerInfo(dataDir)?.pid === pid) rmSync(join(dataDir, SERVER_INFO_FILE), {force: true})
}

export function clearServerInfo(dataDir: string): void {
  rmSync(join(dataDir, SERVER_INFO_FILE), {force: true})
}

/** The server recorded for this folder when its process still runs. */
export function runningServer(dataDir: string): ServerInfo | undefined {
  const info = readServerInfo(dataDir)
  return info && processAlive(info.pid) ? info : undefined
}

/** Number of accounts in a data folder, or 0 when it has no database yet. Read-only: never migrates. */
export function countAccounts(dataDir: string): number {
  const file = join(dataDir, DATABASE_FILE)
  if (!existsSync(file)) return 0
  const db = new Database(file, {readonly: true, fileMustExist: true})
  try {
    db.pragma('busy_timeout = 5000')
    // Accounts with a login email: ephemeral signups in progress hold a placeholder without '@'.
    return db.prepare<[], {n: number}>("SELECT COUNT(*) AS n FROM users WHERE email LIKE '%@%'").get()?.n ?? 0
  } catch {
    return 0
  } finally {
    db.close()
  }
}
