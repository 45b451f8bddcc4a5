import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {type MutableFile, Storage} from 'megajs'
import {localServerForSuite} from '../helpers/local-server.js'
import {tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {addSync, syncsOf, twoMachines, waitForSynced, waitForTrees} from '../helpers/sync-trees.js'
import {waitFor} from '../helpers/wait.js'

const EMAIL = 'sync-robust@example.com'
const PASSWORD = 'sync pw'

/** Another client changing the remote side, a file changing while it uploads, a busy server, a killed server. */
describe('sync: third clients, busy servers and crashes', function () {
  // Every third API request answers EAGAIN: the whole suite runs through an EAGAIN storm.
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}], {faults: 'eagain:3'})
  const machines = twoMachines(server, EMAIL, PASSWORD)

  it('megajs, a third client, adds and renames files in the remote folder: both machines follow', async function () {
    const remote = await machines.remoteFolder()
    const a = tempDir('mj-a-')
    const b = tempDir('mj-b-')
    await addSync(machines.alice, a, remote)
    await addSync(machines.bob, b, remote)
    const storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    try {
      const folder = storage.root.children!.find((n) => n.name === remote.slice(1)) as MutableFile
      const content = randomBytes(200_000)
      // A copy: megajs encrypts the buffer it is given in place.
      const file = await folder.upload({name: 'from-megajs.bin', size: content.length}, Buffer.from(content)).complete
      await waitForTrees('the megajs upload on both sides', [a, b], {'from-megajs.bin': content})
      await file.rename('renamed-by-megajs.bin')
      await waitForTrees('the megajs rename on both sides', [a, b], {'renamed-by-megajs.bin': content})
    } finally {
      storage.api.close()
    }
  })

  it('a 50 MiB file rewritten while it uploads ends with its last content on both sides', async function () {
    this.timeout(300_000)
    const remote = await machines.remoteFolder()
    const a = tempDir('big-a-')
    const b = tempDir('big-b-')
    const syncA = await addSync(machines.alice, a, remote)
    await addSync(machines.bob, b, remote)
    writeFileSync(join(a, 'big.bin'), randomBytes(50 * 1048576))
    await waitFor('the upload started', async () => (await syncsOf(machines.alice)).find((s) => s.id === syncA.id)?.status === 'Syncing')
    const last = randomBytes(50 * 1048576)
    writeFileSync(join(a, 'big.bin'), last)
    await waitForTrees('the last content on both sides', [a, b], {'big.bin': last}, 240_000)
  })

  it('kill -9 of the background server in the middle of a sync: after a restart it finishes, nothing lost or doubled', async function () {
    this.timeout(300_000)
    const remote = await machines.remoteFolder()
    const a = tempDir('kill-a-')
    const b = tempDir('kill-b-')
    const files: Record<string, Buffer | string> = {}
    for (let d = 0; d < 5; d++) {
      mkdirSync(join(a, `d${d}`))
      files[`d${d}`] = '/'
      for (let i = 0; i < 60; i++) {
        const content = randomBytes(2000 + i)
        writeFileSync(join(a, `d${d}`, `f${i}.bin`), content)
        files[`d${d}/f${i}.bin`] = content
      }
    }
    const syncA = await addSync(machines.alice, a, remote)
    await waitFor('some files uploaded', async () => (expectOk(await machines.bob.run(['find', remote, '--pattern=*.bin'])).match(/\.bin$/gm)?.length ?? 0) > 20)
    const [pid] = machines.alice.serverPids()
    process.kill(pid, 'SIGKILL')
    await waitFor('the server gone', () => machines.alice.serverPids().length === 0)
    // The next command starts a new server, whose sync service resumes from its recorded state.
    expect((await syncsOf(machines.alice)).map((s) => s.id)).to.include(syncA.id)
    await waitForSynced(machines.alice, syncA.id)
    await addSync(machines.bob, b, remote)
    await waitForTrees('every file on both sides', [a, b], files, 120_000)
    const listed = expectOk(await machines.bob.run(['find', remote, '--pattern=*.bin'])).match(/\.bin$/gm)
    expect(listed, 'each file once in the cloud').to.have.length(300)
  })
})
