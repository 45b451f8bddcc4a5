import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {type CliResult, makeContacts, MegaUser, REPO, runProcess, tempDir} from '../helpers/cli.js'
import {localServerForSuite} from '../helpers/local-server.js'

const ALICE = 'alice@example.com'
const BOB = 'bob@example.com'
const PASSWORD = 'completion pw'
const SCRIPT = join(REPO, 'completion', 'mega-shell.bash')

function ok(result: CliResult): CliResult {
  expect(result.code, result.stderr).to.equal(0)
  return result
}

/**
 * Completion through the background server: `mega-completion` (MEGAcmd's `mega-exec completion`) run by the thin
 * client, and completion/mega-shell.bash calling it for the mega-<cmd> commands, as bash runs a completion function.
 * Candidates come from alice's cache: her folders and the folder bob shares with her.
 */
describe('completion of the mega-<cmd> commands through the server', function () {
  const server = localServerForSuite([{email: ALICE, password: PASSWORD}, {email: BOB, password: PASSWORD}])
  let alice: MegaUser
  let completionBin: string

  before(async function () {
    alice = new MegaUser(server().url)
    const bob = new MegaUser(server().url)
    await alice.login(ALICE, PASSWORD)
    await bob.login(BOB, PASSWORD)
    await makeContacts({user: bob, email: BOB}, {user: alice, email: ALICE})
    ok(await bob.run(['mkdir', '/shared']))
    ok(await bob.run(['share', '-a', `--with=${ALICE}`, '/shared']))
    const local = tempDir()
    writeFileSync(join(local, 'foo.txt'), 'foo')
    ok(await alice.run(['mkdir', '/folder1', '/My Folder']))
    ok(await alice.run(['put', join(local, 'foo.txt'), '/foo.txt']))
    completionBin = dirname(alice.clientLink('completion'))
  })

  after(async function () {
    if (alice.serverPids().length) await alice.stopServer()
  })

  /** `_mega_shell_complete` for COMP_WORDS = `words` (the last being completed), in bash, with mega-completion on the PATH. */
  async function bashComplete(words: string[]): Promise<string[]> {
    const quoted = words.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ')
    const script = `source '${SCRIPT}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _mega_shell_complete; printf '%s\\n' "\${COMPREPLY[@]}"`
    const result = ok(await runProcess('bash', ['--norc', '-c', script], alice.env({PATH: `${completionBin}:${process.env.PATH ?? ''}`})))
    return result.stdout.split('\n').filter((line) => line !== '')
  }

  it('completes remote paths for bash from the server: folders with a slash, names escaped, in-shares after their colon', async function () {
    expect(await bashComplete(['mega-ls', '/fo'])).to.deep.equal(['/folder1/', '/foo.txt'])
    // cd takes folders only; a blank in a name is escaped for bash.
    expect(await bashComplete(['mega-cd', '/'])).to.deep.equal(['/My\\ Folder/', '/folder1/'])
    expect(await bashComplete(['mega-get', '//'])).to.deep.equal(['//bin/', '//in/'])
    // bash splits `bob@example.com:sh` at the colon: what it replaces is the part after it.
    expect(await bashComplete(['mega-ls', 'bob@example.com', ':', 'sh'])).to.deep.equal(['shared/'])
    // And an option at its '=': the values the option lists.
    expect(await bashComplete(['mega-cmd-server', '--log-level', '=', 'd'])).to.deep.equal(['debug'])
    expect(alice.serverPids(), 'answered by the background server').to.have.length(1)
  })

  it('prints candidates one per line: commands, flags, local paths from the caller\'s folder, contacts', async function () {
    expect(ok(await alice.runClient('completion', ['--', 'whoa'])).stdout).to.equal('whoami\n')
    expect(ok(await alice.runClient('completion', ['--', 'ls', '--show-h'])).stdout).to.equal('--show-handles\n')
    const local = tempDir()
    writeFileSync(join(local, 'local.txt'), '')
    // get's second argument is local (MEGAcmd remotelocalpatterncommands); one argument is a whole line.
    expect(ok(await alice.runClient('completion', ['get /foo.txt lo'], {cwd: local})).stdout).to.equal('local.txt\n')
    expect(ok(await alice.runClient('completion', ['--', 'ls', 'bob@'])).stdout).to.equal('bob@example.com:shared/\n')
    expect(ok(await alice.runClient('completion', ['--', 'share', '--with=b'])).stdout).to.equal('--with=bob@example.com\n')
  })
})
