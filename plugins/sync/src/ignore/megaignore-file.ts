import {randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {defaultIgnorePath} from './default-ignore-file.js'
import {DEFAULT_MEGAIGNORE} from './ignore-rules.js'

const BOM = '\uFEFF'

/**
 * A `.megaignore` (or `.megaignore.default`) as `sync-ignore` and `exclude` edit it (MEGAcmd src/sync_ignore.cpp
 * MegaIgnoreFile): its filters are its lines without trailing white space, blank lines and `#` comments left out.
 * Unlike MEGAcmd, which rewrites every line trimmed on a removal and appends without looking at the last line, the
 * other lines are kept byte for byte: the BOM, the comments, the line endings (CRLF if the file has them).
 */
export class MegaIgnoreFile {
  /** Changed (or created) since it was read or saved. */
  dirty = false

  private constructor(
    readonly path: string,
    private readonly bom: boolean,
    private lines: string[],
    private readonly eol: string,
  ) {}

  /** The file at `path`, or undefined when there is none. */
  static read(path: string): MegaIgnoreFile | undefined {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    return MegaIgnoreFile.parse(path, text)
  }

  /** A file to be created at `path` with `text` (saved by save()). */
  static create(path: string, text: string): MegaIgnoreFile {
    const file = MegaIgnoreFile.parse(path, text)
    file.dirty = true
    return file
  }

  /** The file whose text is `text`, at `path`. */
  static parse(path: string, text: string): MegaIgnoreFile {
    const bom = text.startsWith(BOM)
    const body = bom ? text.slice(1) : text
    const lines = body.split(/\r\n|\n/)
    if (lines.at(-1) === '') lines.pop()
    return new MegaIgnoreFile(path, bom, lines, body.includes('\r\n') ? '\r\n' : '\n')
  }

  /** MegaIgnoreFile::containsFilter: compared without trailing white space. */
  has(filter: string): boolean {
    const wanted = filter.trimEnd()
    return this.lines.some((line) => isFilterLine(line) && line.trimEnd() === wanted)
  }

  add(filter: string): void {
    this.lines.push(filter)
    this.dirty = true
  }

  /** Every line holding `filter` goes. */
  remove(filter: string): void {
    const wanted = filter.trimEnd()
    const kept = this.lines.filter((line) => !(isFilterLine(line) && line.trimEnd() === wanted))
    if (kept.length !== this.lines.length) this.dirty = true
    this.lines = kept
  }

  /** The file's text, BOM included. */
  text(): string {
    return (this.bom ? BOM : '') + this.lines.map((line) => line + this.eol).join('')
  }

  /** What `--show` prints: the lines as they are, comments included, without the BOM. */
  shownLines(): string[] {
    return [...this.lines]
  }

  /**
   * Replaces the file at once (a temporary file beside it, renamed over it), keeping its permissions: a sync
   * scanning the folder never sees half a file. The temporary name is a transfer's temporary name
   * (`.<name>.mega-partial-<pid>-<hex>`, core isTransferTempName), which syncs never pick up.
   */
  save(): void {
    const temp = join(dirname(this.path), `.${basename(this.path)}.mega-partial-${process.pid}-${randomBytes(6).toString('hex')}`)
    const mode = statSync(this.path, {throwIfNoEntry: false})?.mode
    writeFileSync(temp, this.text(), {flag: 'wx', mode: mode === undefined ? 0o644 : mode & 0o7777})
    try {
      renameSync(temp, this.path)
    } catch (error) {
      rmSync(temp, {force: true})
      throw error
    }
    this.dirty = false
  }
}

/** An empty `.megaignore` as MEGAcmd creates one (MegaIgnoreFile::createWithBOM). */
export const EMPTY_MEGAIGNORE = BOM

/**
 * The profile's `.megaignore.default` (`sync-ignore … DEFAULT`, `exclude`): the rules new syncs start with. When it
 * does not exist and `orDefaults`, a new one holding the rules a sync gets without it (DEFAULT_MEGAIGNORE), so that
 * adding or removing one filter keeps the others.
 */
export function defaultMegaIgnoreFile(home: string, orDefaults: boolean): MegaIgnoreFile | undefined {
  const path = defaultIgnorePath(home)
  const file = MegaIgnoreFile.read(path)
  if (file || !orDefaults) return file
  mkdirSync(home, {recursive: true, mode: 0o700})
  return MegaIgnoreFile.create(path, DEFAULT_MEGAIGNORE)
}

function isFilterLine(line: string): boolean {
  const text = line.trimEnd()
  return text !== '' && !text.startsWith('#')
}

/** What an edit did with one filter: `changed` false when it was already there (add) or not there (remove). */
export interface FilterEdit {
  filter: string
  changed: boolean
}

/**
 * `--add` / `--remove` of several filters (MEGAcmd executeAdd / executeRemove), each once, in the order given.
 * Validity is the caller's business: MEGAcmd checks filters only when adding, so that invalid ones can be removed.
 */
export function editFilters(file: MegaIgnoreFile, action: 'add' | 'remove', filters: readonly string[]): FilterEdit[] {
  return [...new Set(filters)].map((filter) => {
    const present = file.has(filter)
    if (action === 'add' ? present : !present) return {filter, changed: false}
    if (action === 'add') file.add(filter)
    else file.remove(filter)
    return {filter, changed: true}
  })
}
