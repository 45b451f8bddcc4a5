import {expect} from 'chai'
import {join} from 'node:path'
import {openDatabase} from '../../src/store/database.js'
import {NodeStore} from '../../src/store/node-store.js'
import {PathResolver} from '../../src/tree/path-resolver.js'
import {NodeType} from '../../src/tree/node.js'
import {cachedNode as node} from '../helpers/cached-node.js'
import {tempDir} from '../helpers/cli.js'

describe('PathResolver (MEGAcmd remote path syntax over the SQLite cache)', function () {
  let nodes: NodeStore
  let resolver: PathResolver

  before(function () {
    nodes = new NodeStore(openDatabase(join(tempDir(), 'cache.db')))
    const all = [
      node('ROOT0000', null, NodeType.ROOT, 'Cloud Drive'),
      node('INBOX000', null, NodeType.INBOX, 'Vault'),
      node('RUBBISH0', null, NodeType.RUBBISH, 'Rubbish Bin'),
      node('aaaaaaaa', 'ROOT0000', NodeType.FOLDER, 'a'),
      node('bbbbbbbb', 'aaaaaaaa', NodeType.FOLDER, 'b'),
      node('f1111111', 'bbbbbbbb', NodeType.FILE, 'photo1.jpg'),
      node('f2222222', 'bbbbbbbb', NodeType.FILE, 'photo2.jpg'),
      node('f3333333', 'bbbbbbbb', NodeType.FILE, 'notes.txt'),
      node('trash111', 'RUBBISH0', NodeType.FILE, 'old.txt'),
    ]
    nodes.transaction(() => all.forEach((n) => nodes.upsert(n)))
    const roots = {root: nodes.get('ROOT0000')!, inbox: nodes.get('INBOX000')!, rubbish: nodes.get('RUBBISH0')!}
    resolver = new PathResolver(nodes, roots, nodes.get('aaaaaaaa')!)
  })

  const handles = (path: string) => resolver.resolve(path).map((n) => n.handle).sort()

  it('resolves absolute, relative, . and .. paths', function () {
    expect(handles('/')).to.deep.equal(['ROOT0000'])
    expect(handles('/a/b')).to.deep.equal(['bbbbbbbb'])
    expect(handles('b/notes.txt')).to.deep.equal(['f3333333'])
    expect(handles('.')).to.deep.equal(['aaaaaaaa'])
    expect(handles('..')).to.deep.equal(['ROOT0000'])
    // Nothing is above a root (MEGAcmd: `cd ..` in / is "No such file or directory").
    expect(handles('../..')).to.deep.equal([])
    expect(resolver.resolvePartial('../../x')).to.equal(undefined)
    expect(handles('b/../b/./notes.txt')).to.deep.equal(['f3333333'])
  })

  it('resolves //bin, //in and H:handles', function () {
    expect(handles('//bin')).to.deep.equal(['RUBBISH0'])
    expect(handles('//bin/old.txt')).to.deep.equal(['trash111'])
    expect(handles('//in')).to.deep.equal(['INBOX000'])
    expect(handles('H:bbbbbbbb')).to.deep.equal(['bbbbbbbb'])
  })

  it('expands * and ? per component', function () {
    expect(handles('/a/b/photo*.jpg')).to.deep.equal(['f1111111', 'f2222222'])
    expect(handles('/a/b/photo?.jpg')).to.deep.equal(['f1111111', 'f2222222'])
    expect(handles('/*/b/*.txt')).to.deep.equal(['f3333333'])
    expect(handles('/a/b/*.png')).to.deep.equal([])
  })

  it('names each match as MEGAcmd does: as typed, wildcards replaced, relative paths kept relative', function () {
    const matches = (path: string) => resolver.matches(path).map((m) => `${m.node.handle} ${m.path}`)
    expect(matches('b/photo*.jpg')).to.deep.equal(['f1111111 b/photo1.jpg', 'f2222222 b/photo2.jpg'])
    expect(matches('./b/../b/n*')).to.deep.equal(['f3333333 ./b/../b/notes.txt'])
    expect(matches('/*/b')).to.deep.equal(['bbbbbbbb /a/b'])
    expect(matches('//bin/*')).to.deep.equal(['trash111 //bin/old.txt'])
    expect(matches('/')).to.deep.equal(['ROOT0000 /'])
    expect(matches('H:bbbbbbbb')).to.deep.equal(['bbbbbbbb /a/b'])
    expect(matches('b/')).to.deep.equal(['bbbbbbbb b/'])
  })

  it('finds nothing for missing paths and paths through a file', function () {
    expect(handles('/nope')).to.deep.equal([])
    expect(handles('/a/b/notes.txt/x')).to.deep.equal([])
    expect(resolver.resolvePartial('/a/b/notes.txt/x')).to.equal(undefined)
  })

  it('reports where a literal path stops existing', function () {
    const partial = resolver.resolvePartial('/a/b/c/d')!
    expect(partial.node.handle).to.equal('bbbbbbbb')
    expect(partial.missing).to.deep.equal(['c', 'd'])
  })

  it('prints MEGAcmd paths', function () {
    expect(resolver.pathOf(nodes.get('f3333333')!)).to.equal('/a/b/notes.txt')
    expect(resolver.pathOf(nodes.get('ROOT0000')!)).to.equal('/')
    expect(resolver.pathOf(nodes.get('trash111')!)).to.equal('//bin/old.txt')
  })
})

describe("MEGAcmd's order of a folder's children (src/tree/sibling-order.ts)", function () {
  it('puts folders first, then names in the SDK natural order: case and accents count, numbers by value', function () {
    const nodes = new NodeStore(openDatabase(join(tempDir(), 'cache.db')))
    // The order MEGAcmd 2.5.2 printed for these names (test/megacmd checks it against MEGAcmd itself).
    const expected = ['sub', 'Zeta', '_under.txt', '9.txt', '10.txt', 'a b.txt', 'a_b.txt', 'a-b.txt', 'b.TXT', 'B.txt', 'Émile.txt', 'file1.txt', 'file2.txt',
      'File2.txt', 'file10.txt', 'ümlaut.txt', 'x.txt']
    nodes.transaction(() => {
      nodes.upsert(node('ROOT0000', null, NodeType.ROOT, 'Cloud Drive'))
      for (const [i, name] of [...expected].reverse().entries()) {
        nodes.upsert(node(`n${String(i).padStart(7, '0')}`, 'ROOT0000', name === 'sub' || name === 'Zeta' ? NodeType.FOLDER : NodeType.FILE, name))
      }
    })
    expect(nodes.children('ROOT0000').map((n) => n.name)).to.deep.equal(expected)
  })
})
