import {expect} from 'chai'
import Database from 'better-sqlite3'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {MegaContext} from '../../src/session/context.js'
import {keepCachesOpen} from '../../src/store/kept-cache.js'

/** A command host's cache between its commands (kept-cache.ts), on real SQLite files. */
describe('the cache a command host keeps open between commands', function () {
  let home: string
  const warnings: string[] = []
  const commandContext = (): MegaContext => new MegaContext({home, commandContext: true, warn: (line) => warnings.push(line)})
  /** A command that wrote `probe` and ended: its context, closed (or kept). */
  const commandThatWrote = (value: string): MegaContext => {
    const context = commandContext()
    context.meta.set('probe', value)
    context.close()
    return context
  }

  beforeEach(function () {
    home = mkdtempSync(join(tmpdir(), 'mega-kept-cache-'))
    warnings.length = 0
    keepCachesOpen()
  })

  afterEach(function () {
    keepCachesOpen(false)
    rmSync(home, {recursive: true, force: true})
  })

  it('is the same connection for the next command while nothing outside SQLite touched its files', function () {
    const first = commandThatWrote('one')
    expect(first.db.open).to.equal(true)
    const second = commandContext()
    expect(second.db).to.equal(first.db)
    expect(second.meta.get('probe')).to.equal('one')
    second.close()
  })

  it('shows what another process wrote meanwhile', function () {
    commandThatWrote('one')
    const other = new Database(join(home, 'cache.db'))
    other.prepare('UPDATE meta SET value = ? WHERE key = ?').run('two', 'probe')
    other.close()
    const second = commandContext()
    expect(second.meta.get('probe')).to.equal('two')
    second.close()
  })

  it('is opened afresh when the cache file was replaced (and repaired if damaged) or rewritten in place', function () {
    const first = commandThatWrote('one')
    // What another process's rebuild does (cache-recovery.ts): the files moved aside, a new cache in their place.
    for (const suffix of ['', '-wal', '-shm']) renameSync(join(home, `cache.db${suffix}`), join(home, `moved.db${suffix}`))
    writeFileSync(join(home, 'cache.db'), randomBytes(8192))
    const second = commandContext()
    expect(second.db).to.not.equal(first.db)
    expect(first.db.open).to.equal(false)
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.match(/^The local cache was damaged; it was moved to cache\.db\.damaged-\d{14} and rebuilt/)
    second.meta.set('probe', 'two')
    second.close()

    // The same file written from outside SQLite, which its connections would not notice.
    writeFileSync(join(home, 'cache.db'), readFileSync(join(home, 'cache.db')))
    const third = commandContext()
    expect(third.db).to.not.equal(second.db)
    expect(third.meta.get('probe')).to.equal('two')
    third.close()
  })

  it('is closed at the end of a context that is not a command\'s (a temporary folder-link cache)', function () {
    const temporary = new MegaContext({home})
    temporary.close()
    expect(temporary.db.open).to.equal(false)
  })
})
