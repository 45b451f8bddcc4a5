import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {candidateText, cachedRemoteTree, completeLine, completeWords, type CompletionSources, splitLine} from '../../src/completion/index.js'
import {openDatabase} from '../../src/store/database.js'
import {NodeStore} from '../../src/store/node-store.js'
import {ShareAccess} from '../../src/store/share-store.js'
import {PathResolver} from '../../src/tree/path-resolver.js'
import {NodeType} from '../../src/tree/node.js'
import {cachedNode as node} from '../helpers/cached-node.js'
import {tempDir} from '../helpers/cli.js'

describe('the completion engine (pure: a command line and the cache → candidates)', function () {
  let sources: CompletionSources

  before(function () {
    const nodes = new NodeStore(openDatabase(join(tempDir(), 'cache.db')))
    const all = [
      node('ROOT0000', null, NodeType.ROOT, 'Cloud Drive'),
      node('INBOX000', null, NodeType.INBOX, 'Vault'),
      node('RUBBISH0', null, NodeType.RUBBISH, 'Rubbish Bin'),
      node('docs0000', 'ROOT0000', NodeType.FOLDER, 'docs'),
      node('myfolder', 'ROOT0000', NodeType.FOLDER, 'My Folder'),
      node('dnotes00', 'ROOT0000', NodeType.FILE, 'dnotes.txt'),
      node('report00', 'docs0000', NodeType.FILE, 'report.pdf'),
      node('trash000', 'RUBBISH0', NodeType.FILE, 'old.txt'),
      node('shared00', null, NodeType.FOLDER, 'shared'),
      node('inside00', 'shared00', NodeType.FILE, 'inside.txt'),
    ]
    nodes.transaction(() => all.forEach((n) => nodes.upsert(n)))
    const inShares = () => [{node: nodes.get('shared00')!, email: 'bob@example.com', owner: 'bobhandle', access: ShareAccess.READ, ts: 0, top: true}]
    const roots = {root: nodes.get('ROOT0000')!, inbox: nodes.get('INBOX000')!, rubbish: nodes.get('RUBBISH0')!, inShares}
    const local = tempDir()
    mkdirSync(join(local, 'photos'))
    writeFileSync(join(local, 'photo.jpg'), '')
    writeFileSync(join(local, '.hidden'), '')
    sources = {
      commands: [
        {names: ['browse:ls', 'ls'], flags: [{name: 'long', char: 'l', takesValue: false}, {name: 'time-format', takesValue: true, values: ['RFC2822', 'ISO6081', 'SHORT']}]},
        {names: ['browse:cd', 'cd'], flags: []},
        {names: ['transfer:get', 'get'], flags: []},
        {names: ['transfer:put', 'put'], flags: []},
        {names: ['server:start'], flags: []},
        {names: ['share:share', 'share'], flags: [{name: 'with', takesValue: true}]},
        {names: ['account:invite', 'invite'], flags: []},
      ],
      contacts: () => ['bob@example.com', 'carol@example.com'],
      extraCommands: ['lcd'],
      remote: cachedRemoteTree(new PathResolver(nodes, roots, nodes.get('docs0000')!), nodes, inShares),
      localCwd: local,
    }
  })

  it('splits a line as MEGAcmd does (quotes), with backslash escapes, and knows an unterminated quote', function () {
    expect(splitLine(`get "My Folder/a b" 'c d' e\\ f`).map((w) => w.value)).to.deep.equal(['get', 'My Folder/a b', 'c d', 'e f'])
    expect(splitLine('ls "My Fo').at(-1)).to.deep.include({value: 'My Fo', raw: '"My Fo', openQuote: '"'})
    expect(completeLine('ls ', sources).word).to.deep.include({value: '', raw: ''})
  })

  it('completes command names (aliases, ids without one, the shell\'s built-ins), flags and their values, contacts', function () {
    expect(completeWords([''], sources)).to.deep.equal(['cd', 'get', 'invite', 'lcd', 'ls', 'put', 'server:start', 'share'])
    expect(completeWords(['l'], sources)).to.deep.equal(['lcd', 'ls'])
    expect(completeWords(['ls', '--t'], sources)).to.deep.equal(['--time-format='])
    expect(completeWords(['browse:ls', '-'], sources)).to.deep.equal(['--long', '--time-format=', '-l'])
    // After an option's '=', the values it lists (MEGAcmd flags_value_completion).
    expect(completeWords(['ls', '--time-format='], sources)).to.deep.equal(['--time-format=ISO6081', '--time-format=RFC2822', '--time-format=SHORT'])
    expect(completeWords(['ls', '--time-format=S'], sources)).to.deep.equal(['--time-format=SHORT'])
    // Contacts' emails where MEGAcmd completes them (emailpatterncommands, share --with=).
    expect(completeWords(['share', '--with=c'], sources)).to.deep.equal(['--with=carol@example.com'])
    expect(completeWords(['invite', ''], sources)).to.deep.equal(['bob@example.com', 'carol@example.com'])
  })

  it('completes remote paths from the cwd, the root, //bin and in-shares; folders end with /, cd takes folders only', function () {
    expect(completeWords(['ls', ''], sources)).to.deep.equal(['report.pdf'])
    expect(completeWords(['ls', '/'], sources)).to.deep.equal(['/My Folder/', '/dnotes.txt', '/docs/'])
    expect(completeWords(['ls', '/d'], sources)).to.deep.equal(['/dnotes.txt', '/docs/'])
    expect(completeWords(['cd', '/d'], sources)).to.deep.equal(['/docs/'])
    expect(completeWords(['ls', '../My'], sources)).to.deep.equal(['../My Folder/'])
    expect(completeWords(['ls', '//'], sources)).to.deep.equal(['//bin/', '//in/'])
    expect(completeWords(['ls', '//bin/o'], sources)).to.deep.equal(['//bin/old.txt'])
    expect(completeWords(['ls', 'bob@'], sources)).to.deep.equal(['bob@example.com:shared/'])
    expect(completeWords(['ls', 'bob@example.com:shared/i'], sources)).to.deep.equal(['bob@example.com:shared/inside.txt'])
    // The value of an option given apart is not an argument: the path is still the first one.
    expect(completeWords(['ls', '--time-format', 'ISO6081', '/do'], sources)).to.deep.equal(['/docs/'])
  })

  it('completes local paths where the command takes them (put\'s source, get\'s target, lcd), hidden names on a dot only', function () {
    expect(completeWords(['put', 'pho'], sources)).to.deep.equal(['photo.jpg', 'photos/'])
    expect(completeWords(['put', '.'], sources)).to.deep.equal(['.hidden'])
    expect(completeWords(['put', 'photo.jpg', '/d'], sources)).to.deep.equal(['/dnotes.txt', '/docs/'])
    expect(completeWords(['get', '/dnotes.txt', 'p'], sources)).to.deep.equal(['photo.jpg', 'photos/'])
    expect(completeWords(['lcd', 'p'], sources)).to.deep.equal(['photos/'])
    expect(completeWords(['whoami', ''], sources)).to.deep.equal([])
  })

  it('writes a candidate back escaped, or inside the quote its word opened (closed unless a folder)', function () {
    expect(candidateText('/My Folder/')).to.equal('/My\\ Folder/')
    expect(candidateText('/My Folder/', '"')).to.equal('"/My Folder/')
    expect(candidateText('a b.txt', "'")).to.equal("'a b.txt'")
  })
})
