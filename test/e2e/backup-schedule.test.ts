import {expect} from 'chai'
import {mkdirSync, realpathSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Storage} from 'megajs'
import {localServerForSuite} from '../helpers/local-server.js'
import {MEGA_BIN, MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {backupsOf, cronOnceADay, loggedInUser, scheduleOnce, waitForRun} from '../helpers/backups.js'
import {runInPty} from '../helpers/pty.js'
import {treeOf} from '../helpers/sync-trees.js'

const EMAIL = 'backup-schedule@example.com'
const PASSWORD = 'backup pw'

/**
 * Scheduled backups through the built binary and its background server: the first run at once, unchanged files copied
 * in the cloud, retention, changes of period and count, restores, MEGAcmd's lines, and bad input. Runs are triggered
 * with cron expressions whose one slot of the day is a few seconds away (scheduleOnce), so each test knows how many runs
 * happen and when.
 */
describe('backup: schedules, copies of unchanged files, retention and restore', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  const user = loggedInUser(server, EMAIL, PASSWORD)

  /** Triggers one more run of backup `tag` a few seconds from now, and waits until it ends in `state`. */
  async function nextRun(tag: number, state = 'COMPLETE') {
    const before = (await backupsOf(user(), String(tag)))[0].current?.name
    await scheduleOnce(user(), tag)
    return waitForRun(user(), tag, `a run after ${before} ends ${state}`, (run) => run.name !== before && run.state === state)
  }

  it('runs the first backup at once, copies unchanged files in the cloud, keeps N, and restores each as it was', async function () {
    const local = tempDir('bk-src-')
    mkdirSync(join(local, 'sub', 'deeper'), {recursive: true})
    writeFileSync(join(local, 'a.txt'), 'alpha')
    writeFileSync(join(local, 'sub', 'b.txt'), 'bravo')
    writeFileSync(join(local, 'sub', 'deeper', 'c.bin'), Buffer.alloc(300_000, 7))
    expectOk(await user().run(['mkdir', '/bk-main']))
    const period = cronOnceADay()
    const made = expectOk(await user().run(['backup', local, '/bk-main', `--period=${period}`, '--num-backups=2']))
    expect(made).to.equal(`Backup established: ${realpathSync(local)} into /bk-main period="${period}" Number-of-Backups=2\n`)
    const [{tag}] = await backupsOf(user())

    // The first run: every file uploaded, every folder made.
    const first = (await waitForRun(user(), tag, 'the first run COMPLETE', (run) => run.state === 'COMPLETE')).current!
    expect(first).to.include({filesDone: 3, filesTotal: 3, foldersCreated: 2, filesCopied: 0, filesFailed: 0})
    expect(first.name).to.match(new RegExp(`^${local.split('/').pop()}_bk_\\d{14}$`))
    expect(first.bytesUploaded).to.equal(300_010)
    const snapshots: Record<string, Record<string, string>> = {[first.name]: treeOf(local)}

    // A second run of the unchanged tree moves no file bytes: every file is copied from the first.
    const second = (await nextRun(tag)).current!
    expect(second).to.include({filesDone: 3, filesCopied: 3, bytesUploaded: 0})
    snapshots[second.name] = treeOf(local)

    // A change: only the changed and the new file go up.
    writeFileSync(join(local, 'a.txt'), 'alpha, changed')
    writeFileSync(join(local, 'sub', 'new.txt'), 'new')
    const third = (await nextRun(tag)).current!
    expect(third).to.include({filesDone: 4, filesCopied: 2, bytesUploaded: 'alpha, changed'.length + 'new'.length})
    snapshots[third.name] = treeOf(local)
    const fourth = (await nextRun(tag)).current!

    // N + 2 runs, N = 2 kept: the two newest.
    const [listed] = await backupsOf(user(), String(tag))
    expect(listed.history!.map((h) => [h.name, h.state, h.files, h.folders])).to.deep.equal([[third.name, 'COMPLETE', 4, 2], [fourth.name, 'COMPLETE', 4, 2]])
    const ls = expectOk(await user().run(['ls', '/bk-main']))
    expect(ls.split('\n').filter((line) => line.includes('_bk_')).sort()).to.deep.equal([third.name, fourth.name].sort())

    // A restore is the tree as it was at that run.
    const restored = tempDir('bk-restore-')
    expectOk(await user().run(['get', `/bk-main/${third.name}`, restored]))
    expect(treeOf(join(restored, third.name))).to.deep.equal(snapshots[third.name])

    // The state is the run folder's BACKST attribute, as MEGAcmd's: another client of the account reads it.
    // (megajs close() would log the session out: the storage is left to the garbage collector.)
    const storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    const folder = storage.root.children!.find((n) => n.name === 'bk-main')!.children!.find((n) => n.name === fourth.name)!
    expect((folder as unknown as {attributes: Record<string, unknown>}).attributes._BACKST).to.equal('COMPLETE')
    expectOk(await user().run(['backup', '-d', String(tag)]))
  })

  it('lists with MEGAcmd\'s columns; -l and -h; --period and --num-backups change it; -d keeps the backups', async function () {
    const local = tempDir('bk-list-')
    writeFileSync(join(local, 'x.txt'), 'x')
    expectOk(await user().run(['mkdir', '/bk-list']))
    expectOk(await user().run(['backup', local, '/bk-list', '--period=1d', '--num-backups=3']))
    const [{tag}] = (await backupsOf(user())).filter((b) => b.localPath === realpathSync(local))
    await waitForRun(user(), tag, 'the first run', (run) => run.state === 'COMPLETE')

    const table = expectOk(await user().run(['backup', '--path-display-size=60']))
    const lines = table.trim().split('\n')
    expect(lines[0]).to.match(/^TAG {3}LOCALPATH +REMOTEPARENTPATH + STATUS$/)
    expect(lines.find((l) => l.includes(realpathSync(local)))).to.match(new RegExp(`^${tag} +${realpathSync(local)} +/bk-list +ACTIVE$`))

    // Without a terminal, MEGAcmd's mega-backup lays the columns out for 80 columns (this line is what it printed).
    expect(expectOk(await user().runClient('backup', [])).split('\n')[0]).to.equal('TAG   LOCALPATH                     REMOTEPARENTPATH                      STATUS')
    // The same through a mega-backup thin client (the server runs it).
    expect(expectOk(await user().runClient('backup', ['--path-display-size=60']))).to.equal(table)

    const details = expectOk(await user().run(['backup', '-l', '-h', '--path-display-size=40', '--time-format=ISO6081_WITH_TIME', String(tag)]))
    expect(details).to.include('  Max Backups:   3\n').and.include('  Period:         "1d"\n').and.match(/ {2}Next backup scheduled for: \d{4}-\d\d-\d\dT/)
    expect(details).to.include(' -- CURRENT/LAST BACKUP --').and.match(/ {7}1\/1 +0 +/)
    expect(details).to.include(' -- HISTORY OF BACKUPS --').and.match(/_bk_\d{14} +\d{4}-\d\d-\d\dT[\d:]+ +COMPLETE +1 +0 /)

    const changed = expectOk(await user().run(['backup', local, '--period=2h30M', '--num-backups=5']))
    expect(changed).to.equal(`Backup established: ${realpathSync(local)} into /bk-list period=2h30M Number-of-Backups=5\n`)
    const [after] = await backupsOf(user(), String(tag))
    expect(after).to.include({period: '2h30M', numBackups: 5})
    expect(after.nextRun * 1000 - Date.now()).to.be.within(2.4 * 3600_000, 2.5 * 3600_000 + 1000)

    expect(expectOk(await user().run(['backup', '-d', local]))).to.equal(` Backup removed succesffuly: ${local}\n`)

    // On a terminal, what a new backup lacks is asked for.
    const asked = tempDir('bk-asked-')
    const pty = await runInPty([process.execPath, MEGA_BIN, 'backup', asked, '/bk-list'], user().env(), [
      {prompt: /Period/, input: '3d\r'},
      {prompt: /Number of backups/, input: '4\r'},
    ])
    expect(pty.code, pty.output).to.equal(0)
    expect(pty.output).to.include(`Backup established: ${realpathSync(asked)} into /bk-list period=3d Number-of-Backups=4`)
    expectOk(await user().run(['backup', '-d', asked]))
    expect((await backupsOf(user())).some((b) => b.tag === tag)).to.equal(false)
    expect(expectOk(await user().run(['ls', '/bk-list']))).to.match(/_bk_\d{14}/)
  })

  it('refuses bad input with MEGAcmd\'s exit codes and the reason', async function () {
    const fresh = new MegaUser(server().url)
    await fresh.login(EMAIL, PASSWORD)
    const none = await fresh.run(['backup'])
    expect(none.code).to.equal(53)
    expect(none.stdout).to.match(/^No backup configured\. \n Usage: backup /)
    await fresh.stopServer()

    const local = tempDir('bk-bad-')
    expectOk(await user().run(['mkdir', '/bk-bad']))
    expectOk(await user().run(['put', join(import.meta.dirname, '..', '..', 'package.json'), '/bk-bad/file.json']))
    // Through the thin client, as scripts run it (and quicker than a whole `mega` process each).
    const bad = (args: string[]) => user().runClient('backup', args)
    expectFailure(await bad([local, '/bk-bad', '--period=* * *', '--num-backups=1']), 51, /Invalid period "\* \* \*": a cron expression has 6 fields/)
    expectFailure(await bad([local, '/bk-bad', '--period=61 * * * * *', '--num-backups=1']), 51, /Invalid period .*61/)
    expectFailure(await bad([local, '/bk-bad', '--period=5x', '--num-backups=1']), 51, /Invalid period "5x": expected a time delay/)
    expectFailure(await bad([local, '/bk-bad', '--period=0s', '--num-backups=1']), 51, /longer than 0 seconds/)
    expectFailure(await bad([local, '/bk-bad', '--period=1d', '--num-backups=0']), 51, /Invalid number of backups: 0/)
    expectFailure(await bad([local, '/bk-bad', '--period=1d']), 51, /needs --period and --num-backups/)
    expectFailure(await bad([join(local, 'missing'), '/bk-bad', '--period=1d', '--num-backups=1']), 53, /Local path must be an existing folder: .*missing/)
    expectFailure(await bad([local, '/bk-nothing', '--period=1d', '--num-backups=1']), 53, /\/bk-nothing not found/)
    expectFailure(await bad([local, '/bk-bad/file.json', '--period=1d', '--num-backups=1']), 55, /must be a valid folder/)
    expectFailure(await bad(['-d', '9999']), 53, /Backup not found: 9999/)
    expectFailure(await bad(['-l', join(local, 'nope')]), 53, /Backup not found/)
    expectOk(await bad([local, '/bk-bad', '--period=1d', '--num-backups=1']))
    expectFailure(await bad([local, '/bk-bad', '--period=2d', '--num-backups=1']), 54, /A backup of .* exists already/)
    expectFailure(await bad([local, '--num-backups=-3']), 51, /Invalid number of backups: -3/)
    expectFailure(await bad([local, '--period=1d 2h']), 51, /Invalid period/)
    const [{tag}] = (await backupsOf(user())).filter((b) => b.localPath === realpathSync(local))
    await waitForRun(user(), tag, 'the first run', (run) => run.state === 'COMPLETE')
    expectFailure(await bad(['-a', String(tag)]), 54, /No backup of .* is running/)
    expectOk(await bad(['-d', String(tag)]))
  })
})
