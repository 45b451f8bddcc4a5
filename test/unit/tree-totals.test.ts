import {expect} from 'chai'
import {join} from 'node:path'
import {openDatabase, type Db} from '../../src/store/database.js'
import {NodeStore} from '../../src/store/node-store.js'
import {OLDER_VERSIONS_SQL, TreeTotals} from '../../src/store/tree-totals.js'
import {type MegaNode, NodeType} from '../../src/tree/node.js'
import {cacheBefore} from '../helpers/cache-before.js'
import {scannedTotals} from '../helpers/cached-totals.js'
import {tempDir} from '../helpers/cli.js'

function node(handle: string, parent: string | null, type: NodeType, size = 0): MegaNode {
  return {handle, parent, type, name: handle, size, ts: 1000, mtime: null, owner: null, key: null, attrs: {}, fa: null, link: null}
}

/** Every cached node that is not an old version: its kept totals against the scan. */
function expectTotalsMatchScan(db: Db, step: string): void {
  const totals = new TreeTotals(db)
  const handles = db.prepare<[], {handle: string}>("SELECT handle FROM nodes WHERE path < '~'").all()
  for (const {handle} of handles) expect(totals.of(handle), `${handle} after ${step}`).to.deep.equal(scannedTotals(db, handle))
}

/** A seeded generator (mulberry32), so a failing sequence can be replayed. */
function random(seed: number): (n: number) => number {
  let state = seed
  return (n) => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
}

describe('folder totals kept through every change to the node cache (store/tree-totals.ts)', function () {
  let db: Db
  let nodes: NodeStore

  beforeEach(function () {
    db = openDatabase(join(tempDir(), 'cache.db'))
    nodes = new NodeStore(db)
  })

  it("looks a file's versions up among its parent's children, not among all files", function () {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${OLDER_VERSIONS_SQL}`).all('f1111111').map((row) => (row as {detail: string}).detail)
    expect(plan).to.deep.equal(['SEARCH nodes USING INDEX nodes_by_parent_name (parent=?)'])
  })

  it('equal a range scan after each of a random sequence of adds, moves, removals, versions and reloads', function () {
    for (const seed of [1, 2, 3, 4]) {
      nodes.clear()
      const pick = random(seed)
      let next = 0
      const newHandle = () => `h${seed}x${String(next++).padStart(5, '0')}`
      nodes.upsert(node('ROOT0000', null, NodeType.ROOT))
      const rows = () => db.prepare<[], {handle: string; parent: string | null; type: number; size: number; path: string}>(
        'SELECT handle, parent, type, size, path FROM nodes ORDER BY handle').all()
      const any = <T>(list: T[]): T | undefined => list[pick(list.length)]
      // A parent that has not arrived yet, and the children that came before it.
      let awaited: string | undefined
      const done = new Set<string>()
      for (let step = 0; step < 150; step++) {
        const all = rows()
        const folders = all.filter((row) => row.type !== NodeType.FILE)
        const current = all.filter((row) => row.type === NodeType.FILE && !row.path.startsWith('~'))
        const versions = all.filter((row) => row.path.startsWith('~'))
        const op = pick(10)
        let what: string
        if (op <= 1) {
          what = 'a new folder'
          nodes.upsert(node(newHandle(), any(folders)!.handle, NodeType.FOLDER))
        } else if (op === 2) {
          what = 'a new file'
          nodes.upsert(node(newHandle(), any(folders)!.handle, NodeType.FILE, 1 + pick(1000)))
        } else if (op === 3 && current.length > 0) {
          // A new version as an upload commits it (operations/file-commits.ts) or a `t` packet re-parents the old file.
          what = 'a new version'
          const old = any(current)!
          const newer = node(newHandle(), old.parent, NodeType.FILE, 1 + pick(1000))
          nodes.upsert(newer)
          if (pick(2) === 0) nodes.setParent(old.handle, newer.handle)
          else nodes.upsert({...node(old.handle, newer.handle, NodeType.FILE, old.size)})
        } else if (op === 4 && versions.length > 0) {
          // A version removed from the middle of its chain (operations/remote-ops.ts deleteVersion), or with the older ones.
          what = 'a removed version'
          const version = any(versions)!
          const older = all.find((row) => row.parent === version.handle)
          if (older && pick(2) === 0) nodes.setParent(older.handle, version.parent!)
          nodes.deleteTree(version.handle)
        } else if (op === 5) {
          what = 'a move'
          const moving = any(all.filter((row) => row.type <= NodeType.FOLDER && !row.path.startsWith('~')))
          const target = moving && any(folders.filter((row) => !row.path.startsWith(moving.path)))
          if (moving && target) {
            if (pick(2) === 0) nodes.setParent(moving.handle, target.handle)
            else nodes.upsert(node(moving.handle, target.handle, moving.type, moving.size))
          }
        } else if (op === 6) {
          what = 'a removed subtree'
          const gone = any(all.filter((row) => row.type <= NodeType.FOLDER))
          if (gone) nodes.deleteTree(gone.handle)
        } else if (op === 7) {
          // Nodes that arrive before their parent (a `t` packet in any order), then the parent, which adopts them.
          what = 'children before their parent'
          if (awaited === undefined) {
            awaited = newHandle()
            nodes.upsert(node(newHandle(), awaited, NodeType.FILE, 1 + pick(1000)))
            nodes.upsert(node(newHandle(), awaited, NodeType.FOLDER))
          } else {
            // Under the root's tree: one of its own children would make a cycle.
            nodes.upsert(node(awaited, any(folders.filter((row) => row.path.startsWith('/ROOT0000/')))!.handle, NodeType.FOLDER))
            awaited = undefined
          }
        } else if (op === 8 && current.length > 0) {
          what = 'a changed file'
          const file = any(current)!
          nodes.upsert(node(file.handle, file.parent, NodeType.FILE, 1 + pick(1000)))
        } else {
          // A reload writes everything again, in any order (parents usually first), and counts at the end.
          what = 'a reload'
          // Shallowest first, or newest first (children often before their parents).
          const order = pick(2) === 0 ? [...all].sort((a, b) => a.path.length - b.path.length) : [...all].reverse()
          const cached = order.map((row) => nodes.get(row.handle)!)
          nodes.clear()
          const loader = nodes.bulkLoader()
          for (const n of cached) loader.add(n)
          loader.finish()
        }
        done.add(what)
        expectTotalsMatchScan(db, `step ${step} (${what}, seed ${seed})`)
      }
      expect(rows().length, `seed ${seed} built a tree`).to.be.greaterThan(10)
      expect([...done].sort(), `the changes seed ${seed} made`).to.deep.equal([
        'a changed file', 'a move', 'a new file', 'a new folder', 'a new version', 'a reload', 'a removed subtree', 'a removed version',
        'children before their parent'])
    }
  })

  it('are counted by the bulk loader at the end of a reload, whatever the order of the nodes', function () {
    const loader = nodes.bulkLoader()
    for (const n of [
      node('f1111111', 'bbbbbbbb', NodeType.FILE, 5), node('ROOT0000', null, NodeType.ROOT), node('aaaaaaaa', 'ROOT0000', NodeType.FOLDER),
      node('bbbbbbbb', 'aaaaaaaa', NodeType.FOLDER), node('v2222222', 'f1111111', NodeType.FILE, 3), node('v3333333', 'v2222222', NodeType.FILE, 2),
      node('f4444444', 'ROOT0000', NodeType.FILE, 7),
    ]) loader.add(n)
    loader.finish()
    expect(new TreeTotals(db).of('ROOT0000')).to.deep.equal({files: 2, folders: 2, bytes: 12, versions: 2, versionBytes: 5})
    expectTotalsMatchScan(db, 'a bulk load')
  })

  it('are filled by the migration for a cache made before them', function () {
    const file = cacheBefore('sub_files', ['handle', 'parent', 'type', 'name', 'size', 'path'], [
      ['ROOT0000', null, 2, 'r', 0, '/ROOT0000/'], ['aaaaaaaa', 'ROOT0000', 1, 'a', 0, '/ROOT0000/aaaaaaaa/'],
      ['f1111111', 'aaaaaaaa', 0, 'f', 9, '/ROOT0000/aaaaaaaa/f1111111/'], ['v2222222', 'f1111111', 0, 'f', 4, '~v2222222/'],
      ['v3333333', 'v2222222', 0, 'f', 2, '~v3333333/'], ['bbbbbbbb', 'gone0000', 1, 'b', 0, '/bbbbbbbb/'],
    ])
    const reopened = openDatabase(file)
    expect(new TreeTotals(reopened).of('ROOT0000')).to.deep.equal({files: 1, folders: 1, bytes: 9, versions: 2, versionBytes: 6})
    expectTotalsMatchScan(reopened, 'the migration')
  })
})
