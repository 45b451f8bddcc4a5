import {createHash} from 'node:crypto'
import {type Dirent, existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {expect} from 'chai'
import {MegaUser} from './cli.js'
import {expectOk} from './expectations.js'
import {waitFor} from './wait.js'

/**
 * A local tree as `relative/path` → sha256 of the content (`/` for folders), without the sync's own `.debris` and
 * `.megaignore` (every new sync writes one: the tests that care look at it themselves). Names
 * in NFC: MEGA's clients upload names in NFC (the SDK's LocalPath::toName normalises), so a file named in NFD on one
 * machine arrives in NFC on the other.
 */
export function treeOf(root: string, skip: (name: string, rel: string) => boolean = (name, rel) => rel === '' && (name === '.debris' || name === '.megaignore')): Record<string, string> {
  const tree: Record<string, string> = {}
  const walk = (dir: string, rel: string) => {
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, {withFileTypes: true})
    } catch (error) {
      // A folder the sync moved away (into .debris) while it was being read: the next look sees the tree without it.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && rel !== '') return
      throw error
    }
    for (const entry of entries) {
      // A download's temporary file is the sync at work, not part of the tree (it may be gone by the time it is read).
      if (skip(entry.name, rel) || /\.mega-(partial|resume)-/.test(entry.name)) continue
      const path = (rel === '' ? entry.name : `${rel}/${entry.name}`).normalize('NFC')
      if (entry.isDirectory()) {
        tree[path] = '/'
        walk(join(dir, entry.name), path)
        continue
      }
      try {
        tree[path] = createHash('sha256').update(readFileSync(join(dir, entry.name))).digest('hex')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
  }
  walk(root, '')
  return tree
}

export function sha(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

/** Waits until every folder holds exactly `expected` (path → content, or '/' for a folder). */
export async function waitForTrees(what: string, roots: string[], expected: Record<string, string | Buffer>, timeoutMs = 60000): Promise<void> {
  const want = Object.fromEntries(Object.entries(expected).map(([path, content]) => [path.normalize('NFC'), content === '/' ? '/' : sha(content)]))
  let last: Record<string, string>[] = []
  try {
    await waitFor(what, () => {
      last = roots.map((root) => treeOf(root))
      return last.every((tree) => JSON.stringify(sorted(tree)) === JSON.stringify(sorted(want)))
    }, undefined, timeoutMs)
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${last.map((tree, i) => `${roots[i]}: ${differences(want, tree)}`).join('\n')}`)
  }
}

/** What a tree lacks, has too many of, or holds with other content than wanted (at most 10 of each). */
function differences(want: Record<string, string>, have: Record<string, string>): string {
  const missing = Object.keys(want).filter((path) => !(path in have))
  const extra = Object.keys(have).filter((path) => !(path in want))
  const changed = Object.keys(want).filter((path) => path in have && have[path] !== want[path])
  const list = (paths: string[]) => `${paths.length} ${JSON.stringify(paths.slice(0, 10))}`
  return `missing ${list(missing)}, extra ${list(extra)}, different ${list(changed)}`
}

function sorted(tree: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : 1)))
}

export interface ListedSync {
  id: string
  localPath: string
  remotePath: string
  runState: string
  status: string
  error: string | null
  issues: number
  watching: string
  files: number
  dirs: number
}

export async function syncsOf(user: MegaUser): Promise<ListedSync[]> {
  return (JSON.parse(expectOk(await user.run(['sync', '--json']))) as {syncs: ListedSync[]}).syncs
}

/** Adds a sync and returns its listing. */
export async function addSync(user: MegaUser, local: string, remote: string, extra: string[] = []): Promise<ListedSync> {
  const result = await user.run(['sync', ...extra, local, remote])
  expect(result.stdout, result.stderr).to.match(/^Added sync: /m)
  expect(result.code, result.stderr).to.equal(0)
  const found = (await syncsOf(user)).find((s) => s.localPath === local)
  expect(found, 'the new sync is listed').to.not.equal(undefined)
  return found!
}

/** Waits until the sync says it is in sync (after a pass that changed nothing). */
export function waitForSynced(user: MegaUser, id: string): Promise<ListedSync> {
  return waitFor(`sync ${id} Synced`, async () => {
    const sync = (await syncsOf(user)).find((s) => s.id === id)
    return sync?.status === 'Synced' && sync.error === null && sync
  })
}

/** The files in a folder's day folders of `.debris`, as `name` → content hash. */
export function localDebris(root: string): Record<string, string> {
  const debris = join(root, '.debris')
  if (!existsSync(debris)) return {}
  const found: Record<string, string> = {}
  for (const day of readdirSync(debris)) {
    for (const name of readdirSync(join(debris, day))) {
      const path = join(debris, day, name)
      found[name] = statSync(path).isDirectory() ? '/' : sha(readFileSync(path))
    }
  }
  return found
}

export interface TwoMachines {
  /** Two profiles of one account, logged in, like two machines (ready in the suite's tests). */
  alice: MegaUser
  bob: MegaUser
  /** A new, empty remote folder for one test. */
  remoteFolder(): Promise<string>
}

/**
 * Registers, in the calling `describe`, two machines of the account `email` on the suite's server, logged in before
 * the tests and whose background servers stop after them.
 */
export function twoMachines(server: () => {url: string}, email: string, password: string): TwoMachines {
  let count = 0
  const machines = {} as TwoMachines
  before(async function () {
    machines.alice = new MegaUser(server().url)
    machines.bob = new MegaUser(server().url)
    await machines.alice.login(email, password)
    await machines.bob.login(email, password)
  })
  after(async function () {
    await machines.alice.stopServer()
    await machines.bob.stopServer()
  })
  machines.remoteFolder = async () => {
    const remote = `/synced${++count}`
    expectOk(await machines.alice.run(['mkdir', remote]))
    return remote
  }
  return machines
}
