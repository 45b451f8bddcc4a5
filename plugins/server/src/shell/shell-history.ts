import {chmodSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/** The file in the profile folder; owner-only (commands typed may name private paths or links). */
const HISTORY_FILE = 'shell-history'
/** The lines kept (readline's default is 30; MEGAcmd's GNU readline keeps all of them: a bound keeps the file small). */
export const HISTORY_LIMIT = 1000

/** The shell's persistent history: oldest first on disk and in `history`, newest first for readline. */
export class ShellHistory {
  private readonly path: string
  private lines: string[]

  constructor(home: string) {
    this.path = join(home, HISTORY_FILE)
    this.lines = readLines(this.path).slice(-HISTORY_LIMIT)
  }

  /** Newest first, as readline's `history` option takes it. */
  get newestFirst(): string[] {
    return [...this.lines].reverse()
  }

  /** Records a line (not a blank one, nor the same as the previous one, as GNU readline's add_history users do). */
  add(line: string): void {
    if (!line.trim() || this.lines.at(-1) === line) return
    this.lines.push(line)
    if (this.lines.length > HISTORY_LIMIT) this.lines = this.lines.slice(-HISTORY_LIMIT)
    try {
      writeFileSync(this.path, this.lines.map((l) => `${l}\n`).join(''), {mode: 0o600})
      // writeFileSync's mode applies only when it creates the file.
      chmodSync(this.path, 0o600)
    } catch {
      // A profile folder that cannot be written (read-only, full): the history lives on in this session only.
    }
  }

  /**
   * `history` as MEGAcmd's shell prints it (megacmdshell.cpp printHistory): oldest first, numbered from 0, the
   * numbers right-aligned to the width of the count, two spaces, the line.
   */
  listing(): string[] {
    const width = String(this.lines.length).length
    return this.lines.map((line, i) => `${String(i).padStart(width)}  ${line}`)
  }
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '')
  } catch {
    return []
  }
}
