import {expect} from 'chai'
import {join} from 'node:path'
import {openDatabase} from '../../src/store/database.js'
import {NodeStore} from '../../src/store/node-store.js'
import {NodeType} from '../../src/tree/node.js'
import {PathResolver} from '../../src/tree/path-resolver.js'
import {parseVersionName} from '../../src/tree/version-name.js'
import {cachedNode as node} from '../helpers/cached-node.js'
import {tempDir} from '../helpers/cli.js'

const T = 1_700_000_000

/** `name#<mtime>` paths (MEGAcmd nodeNameIsVersion/getPathsMatching) over a version chain in the cache. */
describe('version paths (name#mtime)', function () {
  let nodes: NodeStore
  let resolver: PathResolver

  before(function () {
    nodes = new NodeStore(openDatabase(join(tempDir(), 'cache.db')))
    const all = [
      node('ROOT0000', null, NodeType.ROOT, 'Cloud Drive'),
      node('dddddddd', 'ROOT0000', NodeType.FOLDER, 'd'),
      node('newest00', 'dddddddd', NodeType.FILE, 'v.txt', T + 2000),
      node('middle00', 'newest00', NodeType.FILE, 'v.txt', T + 1000),
      node('oldest00', 'middle00', NodeType.FILE, 'v.txt', T),
      node('hash0000', 'dddddddd', NodeType.FILE, 'a#12345', T),
      node('single00', 'dddddddd', NodeType.FILE, 'w.txt', T),
    ]
    nodes.transaction(() => all.forEach((n) => nodes.upsert(n)))
    resolver = new PathResolver(nodes, {root: nodes.get('ROOT0000')!}, nodes.get('dddddddd')!)
  })

  const handles = (path: string) => resolver.resolve(path).map((n) => n.handle)

  it('reads a version suffix only as MEGAcmd does: # then exactly 10 digits, more than 12 characters', function () {
    expect(parseVersionName(`v.txt#${T}`)).to.deep.equal({name: 'v.txt', mtime: T})
    expect(parseVersionName('a#12345')).to.equal(undefined)
    expect(parseVersionName(`#${T}`)).to.equal(undefined)
    expect(parseVersionName(`v#${T}0`)).to.equal(undefined)
    expect(handles('a#12345')).to.deep.equal(['hash0000'])
  })

  it('names each version of the chain, the current file included, and nothing for an unknown mtime', function () {
    expect(handles(`/d/v.txt#${T}`)).to.deep.equal(['oldest00'])
    expect(handles(`v.txt#${T + 1000}`)).to.deep.equal(['middle00'])
    expect(handles(`v.txt#${T + 2000}`)).to.deep.equal(['newest00'])
    expect(handles(`v.txt#${T + 5}`)).to.deep.equal([])
    expect(handles(`w.txt#${T + 1000}`)).to.deep.equal([])
  })

  it('matches the base as a pattern and shows the matched name with the suffix', function () {
    expect(resolver.matches(`/d/*.txt#${T}`).map((m) => [m.node.handle, m.path])).to.deep.equal([['oldest00', `/d/v.txt#${T}`], ['single00', `/d/w.txt#${T}`]])
  })

  it('gives a version its name#mtime path in its file\'s folder, and the chains\' newest versions', function () {
    expect(resolver.pathOf(nodes.get('oldest00')!)).to.equal(`/d/v.txt#${T}`)
    expect(resolver.pathOf(nodes.get('newest00')!)).to.equal('/d/v.txt')
    expect(nodes.newestVersions().map((n) => n.handle)).to.deep.equal(['middle00'])
  })
})
