import {expect} from 'chai'
import {join} from 'node:path'
import {pathBelow, postOrder} from '../../plugins/browse/src/finding/post-order.js'
import {treePrefix} from '../../plugins/browse/src/listing/tree-prefix.js'
import {PathDisplay} from '../../plugins/browse/src/usage/display-path.js'
// The core as the plugin sees it (its built package), so that both share one PathResolver type.
import {type MegaNode, nameMatcher, NodeStore, NodeType, openDatabase, PathResolver, SubtreeQueries} from '@mega-shell/core'
import {cachedNode as node} from '../helpers/cached-node.js'
import {tempDir} from '../helpers/cli.js'

describe('find, du and tree rules (plugins/browse, src/tree/name-pattern.ts)', function () {
  let nodes: NodeStore
  let subtrees: SubtreeQueries
  let roots: {root: MegaNode; rubbish: MegaNode}

  before(function () {
    const db = openDatabase(join(tempDir(), 'cache.db'))
    nodes = new NodeStore(db)
    subtrees = new SubtreeQueries(db)
    nodes.transaction(() => [
      node('ROOT0000', null, NodeType.ROOT, 'Cloud Drive'), node('RUBBISH0', null, NodeType.RUBBISH, 'Rubbish Bin'),
      node('docs0000', 'ROOT0000', NodeType.FOLDER, 'docs'), node('deep0000', 'docs0000', NodeType.FOLDER, 'deep'),
      node('file10aa', 'docs0000', NodeType.FILE, 'file10.txt'), node('file2aaa', 'docs0000', NodeType.FILE, 'file2.txt'),
      node('inner000', 'deep0000', NodeType.FILE, 'c.txt'), node('trash000', 'RUBBISH0', NodeType.FILE, 'old.txt'),
    ].forEach((n) => nodes.upsert(n)))
    roots = {root: nodes.get('ROOT0000')!, rubbish: nodes.get('RUBBISH0')!}
  })

  it('orders what find finds in post-order, folders before files, names naturally (file2 before file10)', function () {
    const top = nodes.get('docs0000')!
    const everything = postOrder(top, subtrees.search(top.handle), (h) => nodes.get(h))
    expect(everything.map(({names}) => pathBelow('/docs', names))).to.deep.equal(['/docs/deep/c.txt', '/docs/deep', '/docs/file2.txt', '/docs/file10.txt', '/docs'])
    // Only files: the folder on the way is read from the cache, and not listed.
    const files = postOrder(top, subtrees.search(top.handle, {type: NodeType.FILE}), (h) => nodes.get(h))
    expect(files.map(({names}) => names.join('/'))).to.deep.equal(['deep/c.txt', 'file2.txt', 'file10.txt'])
    expect(pathBelow('/', ['a', 'b'])).to.equal('/a/b')
    expect(pathBelow('//bin', ['x'])).to.equal('//bin/x')
  })

  it('shows paths as MEGAcmd getDisplayPath: relative to the cwd, absolute, and its "./" and "../" quirks', function () {
    const inDocs = new PathDisplay(new PathResolver(nodes, roots, nodes.get('docs0000')!))
    expect(inDocs.show('', '/docs/deep/c.txt')).to.equal('deep/c.txt')
    expect(inDocs.show('', '/docs')).to.equal('.')
    expect(inDocs.show('x', '/docs')).to.equal('/docs')
    expect(inDocs.show('', '/other')).to.equal('/other')
    expect(inDocs.show('/docs', '/docs/deep')).to.equal('/docs/deep')
    expect(inDocs.show('./deep', '/docs/deep')).to.equal('./')
    expect(inDocs.show('../docs', '/docs')).to.equal('../docs')
    const inDeep = new PathDisplay(new PathResolver(nodes, roots, nodes.get('deep0000')!))
    expect(inDeep.show('../file2.txt', '/docs/file2.txt')).to.equal('..//file2.txt')
    expect(inDeep.show('../../docs', '/docs')).to.equal('../../docs')
    const atRoot = new PathDisplay(new PathResolver(nodes, roots, roots.root))
    expect(atRoot.show('.', '/')).to.equal('/')
    expect(atRoot.show('', '/')).to.equal('.')
    expect(atRoot.show('', '//bin/old.txt')).to.equal('/bin/old.txt')
  })

  it('draws ls --tree rows as MEGAcmd printTreeSuffix', function () {
    expect(treePrefix([])).to.equal('')
    expect(treePrefix([false])).to.equal('├── ')
    expect(treePrefix([true])).to.equal('└── ')
    expect(treePrefix([false, true])).to.equal('│   └── ')
    expect(treePrefix([true, false, true])).to.equal('    │   └── ')
  })

  it('matches names with wildcards, or with --use-pcre whole-name regular expressions (* and ? retried as .* and .)', function () {
    expect(nameMatcher('*.txt', false)('a.txt')).to.equal(true)
    expect(nameMatcher('a?c', false)('abc')).to.equal(true)
    expect(nameMatcher('a.c', false)('abc')).to.equal(false)
    expect(nameMatcher('a.c', true)('abc')).to.equal(true)
    expect(nameMatcher('b', true)('abc')).to.equal(false)
    expect(nameMatcher('file[0-9]+\\.txt', true)('file10.txt')).to.equal(true)
    expect(nameMatcher('file(2|3)\\.txt', true)('file10.txt')).to.equal(false)
    // "*.txt" is no regular expression ("nothing to repeat"): as MEGAcmd, it is tried again as ".*.txt".
    expect(nameMatcher('*.txt', true)('a.txt')).to.equal(true)
    expect(nameMatcher('(', true)('(')).to.equal(false)
  })

  it('resolves paths with --use-pcre component by component', function () {
    const resolver = new PathResolver(nodes, roots, roots.root)
    const names = (path: string, pcre: boolean) => resolver.resolve(path, {pcre}).map((n) => n.name)
    expect(names('/docs/file[0-9]+\\.txt', true)).to.deep.equal(['file2.txt', 'file10.txt'])
    expect(names('/d.*/file2.txt', true)).to.deep.equal(['file2.txt'])
    expect(names('/d.*/file2.txt', false)).to.deep.equal([])
    expect(names('/docs/*', true)).to.deep.equal(['deep', 'file2.txt', 'file10.txt'])
  })
})
