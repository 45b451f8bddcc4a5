import {expect} from 'chai'
import {join} from 'node:path'
import {openDatabase, type Db} from '../../src/store/database.js'
import {NodeStore} from '../../src/store/node-store.js'
import {searchSql, type SubtreeFilter, SubtreeQueries} from '../../src/store/subtree-queries.js'
import {type MegaNode, NodeType} from '../../src/tree/node.js'
import {cacheBefore} from '../helpers/cache-before.js'
import {tempDir} from '../helpers/cli.js'

function node(handle: string, parent: string | null, type: NodeType, name: string, size = 0, mtime: number | null = null): MegaNode {
  return {handle, parent, type, name, size, ts: 1000, mtime, owner: null, key: null, attrs: {}, fa: null, link: null}
}

/** Every stored path, checked against the parent links: each is its parent's path plus its own handle. */
function expectConsistentPaths(db: Db): void {
  const rows = db.prepare<[], {handle: string; parent: string | null; path: string}>('SELECT handle, parent, path FROM nodes').all()
  const byHandle = new Map(rows.map((row) => [row.handle, row]))
  for (const row of rows) {
    const parent = row.parent ? byHandle.get(row.parent) : undefined
    expect(row.path, row.handle).to.equal(`${parent ? parent.path : '/'}${row.handle}/`)
  }
}

describe('subtree queries over the node cache (store/tree-paths.ts, store/subtree-queries.ts)', function () {
  let db: Db
  let nodes: NodeStore
  let subtrees: SubtreeQueries

  beforeEach(function () {
    db = openDatabase(join(tempDir(), 'cache.db'))
    nodes = new NodeStore(db)
    subtrees = new SubtreeQueries(db)
    nodes.transaction(() => [
      node('ROOT0000', null, NodeType.ROOT, 'Cloud Drive'),
      node('aaaaaaaa', 'ROOT0000', NodeType.FOLDER, 'a'),
      node('bbbbbbbb', 'aaaaaaaa', NodeType.FOLDER, 'b'),
      node('f1111111', 'bbbbbbbb', NodeType.FILE, 'one.txt', 100, 5000),
      node('f2222222', 'aaaaaaaa', NodeType.FILE, 'two[1].jpg', 2000, null),
      node('cccccccc', 'ROOT0000', NodeType.FOLDER, 'c'),
    ].forEach((n) => nodes.upsert(n)))
  })

  it('adds up a subtree: bytes and files below a folder, the folder itself counted', function () {
    expect(subtrees.usage('aaaaaaaa')).to.deep.equal({bytes: 2100, files: 2, folders: 2})
    expect(subtrees.usage('f1111111')).to.deep.equal({bytes: 100, files: 1, folders: 0})
    expect(subtrees.usage('ROOT0000')).to.deep.equal({bytes: 2100, files: 2, folders: 3})
    expect(subtrees.usage('nothere')).to.deep.equal({bytes: 0, files: 0, folders: 0})
  })

  it('keeps paths right when nodes move, arrive before their parent, or are deleted', function () {
    nodes.setParent('bbbbbbbb', 'cccccccc')
    expect(subtrees.usage('cccccccc').bytes).to.equal(100)
    expect(subtrees.usage('aaaaaaaa').bytes).to.equal(2000)
    // A `t` packet re-sending a node under another parent moves its subtree too.
    nodes.upsert(node('bbbbbbbb', 'aaaaaaaa', NodeType.FOLDER, 'b'))
    expect(subtrees.usage('aaaaaaaa').bytes).to.equal(2100)
    // Children first, then their parent: the parent adopts them.
    nodes.upsert(node('g3333333', 'dddddddd', NodeType.FILE, 'three', 7))
    nodes.upsert(node('eeeeeeee', 'dddddddd', NodeType.FOLDER, 'e'))
    nodes.upsert(node('g4444444', 'eeeeeeee', NodeType.FILE, 'four', 8))
    nodes.upsert(node('dddddddd', 'cccccccc', NodeType.FOLDER, 'd'))
    expect(subtrees.usage('cccccccc').bytes).to.equal(15)
    expectConsistentPaths(db)
    nodes.deleteTree('dddddddd')
    expect(nodes.get('g4444444')).to.equal(undefined)
    expect(subtrees.usage('cccccccc')).to.deep.equal({bytes: 0, files: 0, folders: 1})
    // The children of a parent that never arrived go with a delete of that parent's handle.
    nodes.upsert(node('h5555555', 'zzzzzzzz', NodeType.FILE, 'orphan', 1))
    nodes.deleteTree('zzzzzzzz')
    expect(nodes.get('h5555555')).to.equal(undefined)
    expectConsistentPaths(db)
  })

  it('finds by type, wildcard (a "[" is literal, as for MEGAcmd), size and time, with each node\'s lineage', function () {
    const handles = (filter: Parameters<SubtreeQueries['search']>[1]) => subtrees.search('aaaaaaaa', filter).map((row) => row.handle).sort()
    expect(handles({})).to.deep.equal(['aaaaaaaa', 'bbbbbbbb', 'f1111111', 'f2222222'])
    expect(handles({type: NodeType.FILE})).to.deep.equal(['f1111111', 'f2222222'])
    expect(handles({wildcard: '*.txt'})).to.deep.equal(['f1111111'])
    expect(handles({wildcard: 'two[1].jpg'})).to.deep.equal(['f2222222'])
    expect(handles({wildcard: 'tw?[1]*'})).to.deep.equal(['f2222222'])
    expect(handles({minSize: 101})).to.deep.equal(['f2222222'])
    expect(handles({maxSize: 100})).to.deep.equal(['f1111111'])
    // Files without a fingerprint time have their creation time (1000); folders have none (0).
    expect(handles({modifiedBefore: 4000})).to.deep.equal(['aaaaaaaa', 'bbbbbbbb', 'f2222222'])
    expect(handles({modifiedAfter: 0})).to.deep.equal(['f1111111', 'f2222222'])
    expect(handles({modifiedAfter: 1000})).to.deep.equal(['f1111111'])
    const [one] = subtrees.search('aaaaaaaa', {wildcard: 'one.txt'})
    expect(one).to.deep.equal({handle: 'f1111111', parent: 'bbbbbbbb', type: NodeType.FILE, name: 'one.txt', size: 100, mtime: 5000, lineage: ['aaaaaaaa', 'bbbbbbbb', 'f1111111']})
    expect(subtrees.search('aaaaaaaa', {type: NodeType.FOLDER, wildcard: 'a'})[0]).to.include({handle: 'aaaaaaaa', parent: null})
  })

  it('looks a pattern with a literal start up by name (nodes_by_name), case-sensitively, and scans for the others', function () {
    nodes.transaction(() => [
      node('n1111111', 'bbbbbbbb', NodeType.FILE, 'needle-7f3a.txt', 1), node('n2222222', 'cccccccc', NodeType.FILE, 'needle-7f3a.txt', 2),
      node('n3333333', 'aaaaaaaa', NodeType.FILE, 'Needle-7f3a.txt', 3), node('n4444444', 'aaaaaaaa', NodeType.FOLDER, 'needles'),
      node('n5555555', 'aaaaaaaa', NodeType.FILE, 'need\u{1F600}', 5), node('n6666666', 'aaaaaaaa', NodeType.FILE, 'nee\u{10FFFF}', 6),
    ].forEach((n) => nodes.upsert(n)))
    const handles = (wildcard: string) => subtrees.search('aaaaaaaa', {wildcard}).map((row) => row.handle).sort()
    expect(handles('needle-7f3a.txt')).to.deep.equal(['n1111111'])
    expect(handles('needle*')).to.deep.equal(['n1111111', 'n4444444'])
    expect(handles('Needle*')).to.deep.equal(['n3333333'])
    expect(handles('need*')).to.deep.equal(['n1111111', 'n4444444', 'n5555555'])
    expect(handles('nee\u{10FFFF}*')).to.deep.equal(['n6666666'])
    expect(handles('needle?7f3a.txt')).to.deep.equal(['n1111111'])
    expect(handles('*7f3a.txt')).to.deep.equal(['n1111111', 'n3333333'])
    expect(handles('two[1]*')).to.deep.equal(['f2222222'])
    const plan = (filter: SubtreeFilter) => db.prepare(`EXPLAIN QUERY PLAN ${searchSql(filter)}`).all({
      top: '/', end: '/\x7f', equals: 'x', from: 'x', below: 'y', glob: 'x', type: 0,
    }).map((row) => (row as {detail: string}).detail).join('; ')
    expect(plan({wildcard: 'needle-7f3a.txt'})).to.equal('SEARCH nodes USING INDEX nodes_by_name (name=? AND path>? AND path<?)')
    expect(plan({wildcard: 'needle*', type: NodeType.FILE})).to.equal('SEARCH nodes USING INDEX nodes_by_name (name>? AND name<?)')
    expect(plan({wildcard: '*.txt'})).to.equal('SEARCH nodes USING COVERING INDEX nodes_subtree (path>? AND path<?)')
    expect(plan({})).to.equal('SEARCH nodes USING COVERING INDEX nodes_subtree (path>? AND path<?)')
  })

  it('gives a cache made before the path column its paths (the migration)', function () {
    // A cache as the migrations before this one left it, with a small tree in it.
    const file = cacheBefore('nodes_subtree', ['handle', 'parent', 'type', 'name', 'size'],
      [['f1111111', 'aaaaaaaa', 0, 'f', 9], ['aaaaaaaa', 'ROOT0000', 1, 'a', 0], ['ROOT0000', null, 2, 'r', 0], ['g2222222', 'gone0000', 0, 'g', 1]])
    const reopened = openDatabase(file)
    expectConsistentPaths(reopened)
    expect(new SubtreeQueries(reopened).usage('aaaaaaaa').bytes).to.equal(9)
    expect(new SubtreeQueries(reopened).usage('g2222222').bytes).to.equal(1)
  })
})
