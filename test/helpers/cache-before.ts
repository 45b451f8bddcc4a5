import Database from 'better-sqlite3'
import {join} from 'node:path'
import {MIGRATIONS} from '../../src/store/migrations.js'
import {tempDir} from './cli.js'

/**
 * A cache file as the migrations before the first one whose SQL contains `marker` left it, with `rows` written into
 * its nodes table (`columns` of that time): what an older version of mega-shell had built, for openDatabase to migrate.
 */
export function cacheBefore(marker: string, columns: string[], rows: unknown[][]): string {
  const file = join(tempDir(), 'old.db')
  const migration = MIGRATIONS.findIndex((sql) => sql.includes(marker))
  const old = new Database(file)
  for (const sql of MIGRATIONS.slice(0, migration)) old.exec(sql)
  old.pragma(`user_version = ${migration}`)
  const insert = old.prepare(`INSERT INTO nodes (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
  for (const row of rows) insert.run(...row)
  old.close()
  return file
}
