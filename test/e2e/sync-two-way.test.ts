import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {mkdirSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {addSync, localDebris, sha, twoMachines, waitForSynced, waitForTrees} from '../helpers/sync-trees.js'
import {waitFor} from '../helpers/wait.js'

const EMAIL = 'sync@example.com'
const PASSWORD = 'sync pw'

/**
 * Two profiles of one account syncing the same remote folder, like two machines: what one side does reaches the
 * other, through the local server, with real files and real encryption.
 */
describe('sync: two machines, one remote folder', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  const machines = twoMachines(server, EMAIL, PASSWORD)

  /** A fresh remote folder synced by both machines: their local folders and sync ids. */
  async function pair(seed: Record<string, string | Buffer> = {}): Promise<{a: string; b: string; remote: string; ids: [string, string]}> {
    const remote = await machines.remoteFolder()
    const a = tempDir('sync-a-')
    const b = tempDir('sync-b-')
    for (const [path, content] of Object.entries(seed)) {
      if (content === '/') mkdirSync(join(a, path), {recursive: true})
      else writeFileSync(join(a, path), content)
    }
    const syncA = await addSync(machines.alice, a, remote)
    await waitForSynced(machines.alice, syncA.id)
    const syncB = await addSync(machines.bob, b, remote)
    await waitForTrees('the seed on both sides', [a, b], seed)
    return {a, b, remote, ids: [syncA.id, syncB.id]}
  }

  it('an initial sync brings files, folders, empty files and unicode names (NFC and NFD) to the other side', async function () {
    const nfc = 'caf\u00e9.txt'
    const nfd = 'Cr\u0065\u0301me.txt'
    const seed = {'top.txt': 'top', docs: '/', 'docs/empty.txt': '', 'docs/deep': '/', 'docs/deep/big.bin': randomBytes(3 * 1048576 + 5), [nfc]: 'nfc', [nfd]: 'nfd', 'empty-folder': '/'}
    const {a, b} = await pair(seed)
    await waitForTrees('identical trees', [a, b], seed)
    // The NFD name went up in NFC, as MEGA's own clients send names; the local original keeps its form.
    expect(readdirSync(a)).to.include(nfd)
    expect(readdirSync(b)).to.include(nfd.normalize('NFC')).and.not.include(nfd)
  })

  it('creations, changes and deletions on either side reach the other; deletions land in debris', async function () {
    const {a, b, remote} = await pair({'keep.txt': 'keep', 'change.txt': 'v1', 'gone.txt': 'gone', 'old-folder': '/', 'old-folder/inside.txt': 'inside'})
    writeFileSync(join(a, 'new-a.txt'), 'from a')
    mkdirSync(join(b, 'new-b', 'sub'), {recursive: true})
    writeFileSync(join(b, 'new-b', 'sub', 'file.txt'), 'from b')
    writeFileSync(join(b, 'change.txt'), 'v2 from b')
    rmSync(join(a, 'gone.txt'))
    rmSync(join(b, 'old-folder'), {recursive: true})
    const expected = {'keep.txt': 'keep', 'change.txt': 'v2 from b', 'new-a.txt': 'from a', 'new-b': '/', 'new-b/sub': '/', 'new-b/sub/file.txt': 'from b'}
    await waitForTrees('both sides changed', [a, b], expected)
    // What one side deleted, the other keeps in its local debris; the cloud copies are in //bin/SyncDebris.
    await waitFor('b\'s debris', () => localDebris(b)['gone.txt'] === sha('gone'))
    expect(localDebris(a)['old-folder']).to.equal('/')
    // Both machines may each make a SyncDebris folder at once (two clients, as with MEGA's own): look in the whole bin.
    const bin = expectOk(await machines.alice.run(['find', '//bin']))
    expect(bin).to.match(/^\/\/bin\/SyncDebris\/\d{4}-\d\d-\d\d\/gone\.txt$/m)
    expect(bin).to.match(/^\/\/bin\/SyncDebris\/\d{4}-\d\d-\d\d\/old-folder\/inside\.txt$/m)
    // The changed file kept its history as a version (ls -l: VERS 2). A fresh session reads versions from the tree
    // (`f2`); the live feed tells clients of the legacy dialect only that the old file left (local-server nodes.ts).
    const fresh = new MegaUser(server().url)
    await fresh.login(EMAIL, PASSWORD)
    const [, row] = expectOk(await fresh.run(['ls', '-l', `${remote}/change.txt`])).split('\n')
    expect(row.trim().split(/\s+/)[1]).to.equal('2')
    await fresh.stopServer()
  })

  it('renames and moves of files and folders are moves on the other side (the nodes keep their handles)', async function () {
    const {a, b, remote} = await pair({'a.txt': 'a', 'box': '/', 'box/in.txt': 'in', 'dir': '/', 'dir/x.txt': 'x', 'case.txt': 'case'})
    const before = await machines.alice.handles(remote)
    const boxBefore = await machines.alice.handles(`${remote}/box`)
    renameSync(join(a, 'a.txt'), join(a, 'renamed.txt'))
    renameSync(join(a, 'box'), join(a, 'dir', 'box-moved'))
    renameSync(join(b, 'case.txt'), join(b, 'CASE.txt'))
    const expected = {'renamed.txt': 'a', 'dir': '/', 'dir/x.txt': 'x', 'dir/box-moved': '/', 'dir/box-moved/in.txt': 'in', 'CASE.txt': 'case'}
    await waitForTrees('moved on both sides', [a, b], expected)
    const after = await machines.alice.handles(remote)
    expect(after['renamed.txt']).to.equal(before['a.txt'])
    expect(after['CASE.txt']).to.equal(before['case.txt'])
    expect((await machines.alice.handles(`${remote}/dir`))['box-moved']).to.equal(before.box)
    expect((await machines.alice.handles(`${remote}/dir/box-moved`))['in.txt']).to.equal(boxBefore['in.txt'])
    // A move is not a deletion: nothing went to debris.
    expect(localDebris(a)).to.deep.equal({})
    expect(localDebris(b)).to.deep.equal({})
  })

  it('a file changed on both sides is a conflict: both versions are kept and sync-issues lists it', async function () {
    const {a, b, ids} = await pair({'doc.txt': 'base'})
    expectOk(await machines.bob.run(['sync', '-p', ids[1]]))
    writeFileSync(join(a, 'doc.txt'), 'alice version')
    await waitForSynced(machines.alice, ids[0])
    writeFileSync(join(b, 'doc.txt'), 'bob version!')
    expectOk(await machines.bob.run(['sync', '-e', ids[1]]))
    const copy = await waitFor('the conflict copy', () => readdirSync(b).find((name) => /^doc \(conflict \d{4}-\d\d-\d\d \d\d-\d\d-\d\d .+\)\.txt$/.test(name)))
    await waitForTrees('both versions on both sides', [a, b], {'doc.txt': 'alice version', [copy]: 'bob version!'})
    const issues = expectOk(await machines.bob.run(['sync-issues']))
    expect(issues).to.match(/Conflicting changes to 'doc\.txt'/)
    const id = /^(\S+)\s+\S+\s+Conflicting changes/m.exec(issues)![1]
    const detail = expectOk(await machines.bob.run(['sync-issues', '--detail', id, '--disable-path-collapse']))
    expect(detail).to.include(`Parent sync: ${ids[1]} (${b} to <CLOUD>`)
    expect(detail).to.include(join(b, copy)).and.match(/<CLOUD>\/\S+\/doc\.txt/)
  })
})
