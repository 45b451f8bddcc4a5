import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {localServerForSuite} from '../helpers/local-server.js'
import {tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {backupsOf, cronOnceADay, loggedInUser, scheduleOnce, waitForRun} from '../helpers/backups.js'
import {treeOf} from '../helpers/sync-trees.js'
import {waitFor} from '../helpers/wait.js'

const EMAIL = 'backup-interrupt@example.com'
const PASSWORD = 'backup pw'

/** Backups the server could not make or finish: downtime (SKIPPED), `backup -a` (ABORTED), kill -9 (MISCARRIED). */
describe('backup: missed slots, abort and kill -9', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  const user = loggedInUser(server, EMAIL, PASSWORD)

  async function makeBackup(local: string, remote: string, count: number): Promise<number> {
    expectOk(await user().run(['mkdir', remote]))
    expectOk(await user().run(['backup', local, remote, `--period=${cronOnceADay()}`, `--num-backups=${count}`]))
    return (await backupsOf(user())).find((b) => b.remotePath === remote)!.tag
  }

  it('records a slot missed while the server was down as SKIPPED, not run late; the next runs on schedule', async function () {
    const local = tempDir('bk-down-')
    writeFileSync(join(local, 'a.txt'), 'a')
    const tag = await makeBackup(local, '/bk-down', 5)
    const first = (await waitForRun(user(), tag, 'the first run', (run) => run.state === 'COMPLETE')).current!

    // The slot must still be ahead once the server is down; under load it may not be, and then it is set again.
    let missed = 0
    for (let attempt = 0; attempt < 5 && !missed; attempt++) {
      const at = await scheduleOnce(user(), tag, 3 + attempt * 2)
      await user().stopServer()
      if (Date.now() < at - 500) missed = at
    }
    expect(missed, 'a slot came while the server was down').to.be.above(0)
    await waitFor('the slot to pass while the server is down', () => Date.now() > missed + 1000)
    // Any command starts the server again.
    const skipped = await waitFor('the missed slot SKIPPED', async () => (await backupsOf(user(), String(tag)))[0].history!.find((h) => h.date * 1000 === missed))
    expect(skipped).to.include({state: 'SKIPPED', files: 0, folders: 0})

    await scheduleOnce(user(), tag)
    const ran = (await waitForRun(user(), tag, 'the next slot COMPLETE', (run) => run.state === 'COMPLETE' && run.name !== skipped.name && run.name !== first.name)).current!
    const [{history}] = await backupsOf(user(), String(tag))
    const states = history!.map((h) => [h.name, h.state])
    expect(states[0]).to.deep.equal([first.name, 'COMPLETE'])
    expect(states.slice(-2)).to.deep.equal([[skipped.name, 'SKIPPED'], [ran.name, 'COMPLETE']])
    expectOk(await user().run(['backup', '-d', String(tag)]))
  })

  it('backup -a aborts the running backup (ABORTED); kill -9 of the server during one leaves it MISCARRIED; the next completes', async function () {
    const local = tempDir('bk-stop-')
    writeFileSync(join(local, 'small.txt'), 'small')
    writeFileSync(join(local, 'big.bin'), randomBytes(3 * 1024 * 1024))
    // 3 MiB at 128 KiB/s: a run lasts long enough to be stopped in the middle.
    expectOk(await user().run(['speedlimit', '-u', '128K']))
    const tag = await makeBackup(local, '/bk-stop', 10)
    const aborted = (await waitForRun(user(), tag, 'the first run ONGOING', (run) => run.state === 'ONGOING' && run.filesTotal === 2)).current!
    expect(expectOk(await user().run(['backup', '-a', String(tag)]))).to.equal(` Backup aborted succesffuly: ${tag}\n`)
    await waitForRun(user(), tag, 'the run ABORTED', (run) => run.name === aborted.name && run.state === 'ABORTED')

    await scheduleOnce(user(), tag)
    const killed = (await waitForRun(user(), tag, 'the second run ONGOING', (run) => run.name !== aborted.name && run.state === 'ONGOING' && run.filesTotal === 2)).current!
    const pids = user().serverPids()
    expect(pids).to.have.length(1)
    process.kill(pids[0], 'SIGKILL')
    await waitFor('the server to die', () => user().serverPids().length === 0)
    // The next command starts a new server, which finds the run it was making and marks it.
    const miscarried = await waitForRun(user(), tag, 'the killed run MISCARRIED', (run) => run.name === killed.name && run.state === 'MISCARRIED')
    expect(miscarried.history!.map((h) => [h.name, h.state])).to.deep.equal([[aborted.name, 'ABORTED'], [killed.name, 'MISCARRIED']])

    expectOk(await user().run(['speedlimit', '-u', '0']))
    await scheduleOnce(user(), tag)
    const done = (await waitForRun(user(), tag, 'the next run COMPLETE', (run) => run.state === 'COMPLETE')).current!
    const restored = tempDir('bk-stop-restore-')
    expectOk(await user().run(['get', `/bk-stop/${done.name}`, restored]))
    expect(treeOf(join(restored, done.name))).to.deep.equal(treeOf(local))
    expectOk(await user().run(['backup', '-d', String(tag)]))
  })
})
