import {expect} from 'chai'
import {existsSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {addSync, syncsOf, twoMachines, waitForSynced, waitForTrees} from '../helpers/sync-trees.js'
import {waitFor} from '../helpers/wait.js'

const EMAIL = 'sync-control@example.com'
const PASSWORD = 'sync pw'
const OTHER = 'sync-other@example.com'

/** Adding, listing, pausing, resuming and removing syncs; modes, --dry-run, --max-delete; ignore rules; bad input. */
describe('sync: control, modes, ignore rules and bad input', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}, {email: OTHER, password: PASSWORD}])
  const machines = twoMachines(server, EMAIL, PASSWORD)

  it('lists syncs with MEGAcmd\'s columns; pause, resume and remove by ID or local path keep the files', async function () {
    const remote = await machines.remoteFolder()
    const a = tempDir('ctl-a-')
    const b = tempDir('ctl-b-')
    writeFileSync(join(a, 'one.txt'), 'one')
    const syncA = await addSync(machines.alice, a, remote)
    const syncB = await addSync(machines.bob, b, remote)
    await waitForTrees('first file', [a, b], {'one.txt': 'one'})
    const table = expectOk(await machines.alice.run(['sync', '--path-display-size=200']))
    expect(table.split('\n')[0]).to.match(/^ID\s+LOCALPATH\s+REMOTEPATH\s+RUN_STATE\s+STATUS\s+ERROR\s+SIZE\s+FILES\s+DIRS/)
    expect(table).to.include(syncA.id).and.include(a).and.include(remote)

    expect(expectOk(await machines.alice.run(['sync', '-p', a]))).to.match(new RegExp(`^Sync paused: ${a} to ${remote}`, 'm'))
    expect((await syncsOf(machines.alice))[0].runState).to.equal('Suspended')
    writeFileSync(join(b, 'while-paused.txt'), 'bob')
    await waitForSynced(machines.bob, syncB.id)
    expect(expectOk(await machines.alice.run(['ls', remote]))).to.match(/while-paused\.txt/)
    expect(existsSync(join(a, 'while-paused.txt')), 'a paused sync does not download').to.equal(false)
    expectOk(await machines.alice.run(['sync', '-e', syncA.id]))
    await waitForTrees('caught up after resume', [a, b], {'one.txt': 'one', 'while-paused.txt': 'bob'})

    expect(expectOk(await machines.alice.run(['sync', '-d', syncA.id]))).to.match(new RegExp(`^Sync removed: ${a} to ${remote}`, 'm'))
    expect(await syncsOf(machines.alice)).to.deep.equal([])
    expect(existsSync(join(a, 'one.txt'))).to.equal(true)
    expectOk(await machines.bob.run(['sync', '-d', b]))
  })

  it('refuses bad input with MEGAcmd\'s exit codes', async function () {
    const remote = await machines.remoteFolder()
    const a = tempDir('bad-')
    expectOk(await machines.alice.run(['put', join(import.meta.dirname, '..', 'fixtures', '..', '..', 'package.json'), `${remote}/file.json`]))
    expectFailure(await machines.alice.run(['sync', join(a, 'missing'), remote]), 53, /Local directory .* does not exist/)
    expectFailure(await machines.alice.run(['sync', a, `${remote}/nothing`]), 53, /does not exist/)
    expectFailure(await machines.alice.run(['sync', a, `${remote}/file.json`]), 55, /not a folder/)
    const sync = await addSync(machines.alice, a, remote)
    mkdirSync(join(a, 'inner'))
    expectFailure(await machines.alice.run(['sync', join(a, 'inner'), '/']), 54, /overlaps/)
    expectFailure(await machines.alice.run(['sync', tempDir('other-'), remote]), 54, /overlaps/)
    expectFailure(await machines.alice.run(['sync', '-p', 'NoSuchSyncId']), 53, /not found/i)
    expectFailure(await machines.alice.run(['sync-ignore', '--add', '--', '-x:foo', sync.id]), 51, /-x:foo/)
    expectFailure(await machines.alice.run(['sync-issues', '--detail', 'NoSuchIssue']), 53, /does not exist/)
    expectFailure(await machines.alice.run(['sync-config', '--set-max-attempts=9']), 51, /between 2 and 5/)
    expectFailure(await machines.alice.run(['exclude']), 51, /^Usage: exclude /)
    expectOk(await machines.alice.run(['sync', '-d', sync.id]))
  })

  it('a folder shared read-only cannot be synced (56)', async function () {
    const owner = new MegaUser(server().url)
    await owner.login(OTHER, PASSWORD)
    expectOk(await owner.run(['mkdir', '/ro-share']))
    expectOk(await owner.run(['invite', EMAIL]))
    expectOk(await machines.alice.run(['ipc', OTHER, '-a']))
    expectOk(await owner.run(['share', '-a', `--with=${EMAIL}`, '--level=0', '/ro-share']))
    await waitFor('the share', async () => /INSHARE on .*ro-share/.test((await machines.alice.run(['mount'])).stdout))
    expectFailure(await machines.alice.run(['sync', tempDir('ro-'), `${OTHER}:ro-share`]), 56, /full access/)
    await owner.stopServer()
  })

  it('.megaignore rules keep files out of the sync; sync-ignore edits them; the file itself syncs', async function () {
    const remote = await machines.remoteFolder()
    const a = tempDir('ign-a-')
    const b = tempDir('ign-b-')
    const syncA = await addSync(machines.alice, a, remote)
    expect(expectOk(await machines.alice.run(['sync-ignore', '--add', '--', '-f:*.tmp', syncA.id]))).to.match(/^Added filter "-f:\*\.tmp"$/m)
    writeFileSync(join(a, 'kept.txt'), 'kept')
    writeFileSync(join(a, 'scratch.tmp'), 'not synced')
    const syncB = await addSync(machines.bob, b, remote)
    await waitFor('kept.txt on b', () => existsSync(join(b, 'kept.txt')) && existsSync(join(b, '.megaignore')))
    await waitForSynced(machines.alice, syncA.id)
    await waitForSynced(machines.bob, syncB.id)
    expect(expectOk(await machines.alice.run(['ls', remote]))).to.not.match(/scratch\.tmp/)
    expect(existsSync(join(b, 'scratch.tmp'))).to.equal(false)
    expect(expectOk(await machines.alice.run(['sync-ignore', '--show', a]))).to.match(/^-f:\*\.tmp$/m)
    expectOk(await machines.alice.run(['sync', '-d', syncA.id]))
    expectOk(await machines.bob.run(['sync', '-d', syncB.id]))
  })

  it('--dry-run prints the plan and changes nothing; --mode=up only uploads', async function () {
    const remote = await machines.remoteFolder()
    const a = tempDir('dry-')
    writeFileSync(join(a, 'plan.txt'), 'plan')
    expectOk(await machines.bob.run(['put', join(import.meta.dirname, '..', '..', 'package.json'), `${remote}/remote-only.json`]))
    const dry = expectOk(await machines.alice.run(['sync', '--dry-run', a, remote]))
    expect(dry).to.match(/^upload plan\.txt$/m)
    expect(dry).to.match(/^download remote-only\.json$/m)
    expect(await syncsOf(machines.alice)).to.deep.equal([])
    expect(existsSync(join(a, 'remote-only.json'))).to.equal(false)
    const up = await addSync(machines.alice, a, remote, ['--mode=up'])
    await waitForSynced(machines.alice, up.id)
    expect(expectOk(await machines.alice.run(['ls', remote]))).to.match(/plan\.txt/)
    expect(existsSync(join(a, 'remote-only.json')), 'up mode does not download').to.equal(false)
    expectOk(await machines.alice.run(['sync', '-d', up.id]))
  })

  it('--max-delete stops a pass that would delete too much and raises an issue; nothing is deleted', async function () {
    const remote = await machines.remoteFolder()
    const a = tempDir('maxdel-')
    for (let i = 0; i < 10; i++) writeFileSync(join(a, `f${i}.txt`), `file ${i}`)
    const sync = await addSync(machines.alice, a, remote, ['--max-delete=30'])
    await waitForSynced(machines.alice, sync.id)
    for (let i = 0; i < 6; i++) rmSync(join(a, `f${i}.txt`))
    await waitFor('the max-delete issue', async () => /Too many deletions/.test(expectOk(await machines.alice.run(['sync-issues']))))
    expect(expectOk(await machines.alice.run(['ls', remote])).match(/^f\d\.txt$/gm)).to.have.length(10)
    expectOk(await machines.alice.run(['sync', '--max-delete=100', sync.id]))
    await waitFor('the deletions carried over', async () => expectOk(await machines.alice.run(['ls', remote])).match(/^f\d\.txt$/gm)?.length === 4)
    expectOk(await machines.alice.run(['sync', '-d', sync.id]))
  })

  it('without file-system watches the sync keeps working by scanning, and says so', async function () {
    const scanner = new MegaUser(server().url)
    await scanner.login(EMAIL, PASSWORD)
    // The system's inotify watches are the machine's: a limit of ours takes the sync where running out of them would.
    expect(expectOk(await scanner.run(['sync-config', '--set-max-watched-folders=0', '--set-scan-seconds=1']))).to.equal('Most folders watched per sync: 0\nScan interval without file-system events: 1 seconds\n')
    const remote = await machines.remoteFolder()
    const a = tempDir('scan-')
    const sync = await addSync(scanner, a, remote)
    expect((await syncsOf(scanner))[0].watching).to.equal('scanning')
    expect(expectOk(await scanner.run(['sync']))).to.match(/Sync Issues \(1\)/)
    expect(expectOk(await scanner.run(['sync-issues']))).to.match(/Unable to add filesystem watch/)
    writeFileSync(join(a, 'scanned.txt'), 'found by a scan')
    await waitFor('the scanned file uploaded', async () => /scanned\.txt/.test(expectOk(await machines.alice.run(['ls', remote]))))
    expectOk(await scanner.run(['sync', '-d', sync.id]))
    await scanner.stopServer()
  })
})
