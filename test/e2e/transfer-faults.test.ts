import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {readTree, writeTree} from '../helpers/local-files.js'
import {waitFor} from '../helpers/wait.js'

async function finished(user: MegaUser, tags: number[]): Promise<void> {
  await waitFor(`transfers ${tags.join(', ')} completed`, async () => {
    const {transfers} = JSON.parse(expectOk(await user.run(['transfers', '--json']))) as {transfers: Array<{tag: number; state: string; error?: string}>}
    const mine = transfers.filter((t) => tags.includes(t.tag))
    const failed = mine.find((t) => t.state === 'FAILED')
    if (failed) throw new Error(`transfer ${failed.tag} failed: ${failed.error}`)
    return mine.length === tags.length && mine.every((t) => t.state === 'COMPLETED')
  })
}

function tags(stdout: string): number[] {
  return [...stdout.matchAll(/Tag = (\d+)\./g)].map((m) => Number(m[1]))
}

/** A tree of big and small files: big ones take several pieces (each may be cut), small ones many requests. */
function sampleTree(): Record<string, Buffer> {
  const files: Record<string, Buffer> = {}
  for (let i = 0; i < 3; i++) files[`big${i}.bin`] = randomBytes(3 * 1048576 + i)
  for (let i = 0; i < 12; i++) files[join('small', `s${i}.txt`)] = randomBytes(500 + i)
  return files
}

for (const [title, faults] of [
  ['an EAGAIN storm and connections dropped mid-chunk, both ways', 'eagain:2,dlcut:3,ulcut:3'],
  ['a server that stalls 5 s before each transfer request', 'dlslow:5000,ulslow:5000'],
] as const) {
  describe(`queued transfers through ${title} (${faults})`, function () {
    const server = localServerForSuite([{email: 'faults@example.com', password: 'faults pw'}], {faults})
    let user: MegaUser

    before(async function () {
      user = new MegaUser(server().url)
      await user.login('faults@example.com', 'faults pw')
    })

    after(async function () {
      await user.stopServer()
    })

    it('put -q then get -q of a tree: every byte verified, nothing partial or twice, here or there', async function () {
      const files = sampleTree()
      const local = join(tempDir(), 'tree')
      writeTree(local, files)
      const up = tags(expectOk(await user.run(['put', '-q', '--print-tag-at-start', local, '/'])))
      await finished(user, up)
      // Each file once: no second node from a retried chunk or a retried `p`.
      const listing = expectOk(await user.run(['find', '/tree', '--type=f'])).trim().split('\n').sort()
      expect(listing).to.deep.equal(Object.keys(files).map((path) => `/tree/${path}`).sort())
      const into = tempDir()
      const down = tags(expectOk(await user.run(['get', '-q', '--print-tag-at-start', '/tree', into])))
      await finished(user, down)
      expect(readTree(join(into, 'tree'))).to.deep.equal(files)
      expect(readdirSync(into)).to.deep.equal(['tree'])
    })
  })
}
