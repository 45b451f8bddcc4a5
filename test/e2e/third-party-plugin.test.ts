import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {Storage} from 'megajs'
import {type CliResult, MegaUser, REPO, runProcess, tempDir} from '../helpers/cli.js'
import {localServerForSuite} from '../helpers/local-server.js'
import {waitFor} from '../helpers/wait.js'

const EMAIL = 'plugins@example.com'
const PASSWORD = 'plugins pw'
/** The example third-party plugin: built here with its own tsconfig, as its README says. */
const EXAMPLE = join(REPO, 'examples', 'hello-plugin')
const EXAMPLE_NAME = 'mega-shell-plugin-hello'

/**
 * The words bash's programmable completion offers for `words` (the last one being completed), with the completion
 * function plugin-autocomplete generated for `mega`: the setup line `mega autocomplete script bash` prints is what
 * its instructions append to ~/.bashrc; it sources the cached function, which `complete -F` binds to `mega`.
 */
async function bashCompletions(setupLine: string, words: string[]): Promise<string[]> {
  const script = `${setupLine}\nCOMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}\n` +
    `complete -p mega >/dev/null && _mega_autocomplete && printf '%s\\n' "\${COMPREPLY[@]}"`
  const result = await runProcess('bash', ['--norc', '--noprofile', '-c', script], process.env)
  expect(result.code, result.stderr).to.equal(0)
  return result.stdout.split('\n').filter(Boolean)
}

interface CountJson {
  path: string
  files: number
  folders: number
  changes?: {total: number; recent: Array<{kind: string}>}
}

describe('third-party plugins: mega plugins link, the example plugin, mega autocomplete', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  let user: MegaUser
  /** oclif's folders for this profile (MEGA_DATA_DIR: the user plugins; MEGA_CACHE_DIR: autocomplete's cache), never the real user's. */
  let env: Record<string, string>

  before(async function () {
    // The example is third-party code, not a workspace: it is built as its README says (tsc -b, incremental).
    execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-b', EXAMPLE], {stdio: 'inherit'})
    env = {MEGA_DATA_DIR: tempDir('mega-data-'), MEGA_CACHE_DIR: tempDir('mega-cache-'), MEGA_CONFIG_DIR: tempDir('mega-config-')}
    user = new MegaUser(server().url)
    await user.login(EMAIL, PASSWORD)
    const local = tempDir('mega-docs-')
    mkdirSync(join(local, 'docs', 'sub'), {recursive: true})
    for (const name of ['a.txt', 'b.txt', 'sub/c.txt']) writeFileSync(join(local, 'docs', name), name)
    const put = await user.run(['put', join(local, 'docs'), '/'], {env})
    expect(put.code, put.stderr).to.equal(0)
  })

  after(async function () {
    if (user?.serverPids().length) await user.stopServer()
  })

  it('links the example: its command runs in-process and in the running server, its service answers; uninstalled, both are gone', async function () {
    // A server started before the link: its warm command hosts and services know nothing of the plugin yet.
    const started = await user.run(['server:start'], {env})
    expect(started.code, started.stderr).to.equal(0)
    const unknownBefore = await user.runClient('hello:count', ['/docs'], {env})
    expect(unknownBefore.code).to.equal(51)

    const link = await user.run(['plugins', 'link', '--no-install', EXAMPLE], {env})
    expect(link.code, link.stderr).to.equal(0)
    // CI set, as on a CI machine, where oclif's colour library colours even a pipe unless we say no (output-colour.cts).
    const listed = await user.run(['plugins'], {env: {...env, CI: 'true'}})
    expect(listed.stdout).to.include(`${EXAMPLE_NAME} 0.1.0 (link) ${EXAMPLE}`)

    // In-process, and with nothing on stderr: no oclif warning about transpiling a linked ESM plugin.
    const inProcess = await user.run(['hello', 'count', '/docs'], {env})
    expect(inProcess).to.deep.include({code: 0, stdout: '/docs: 3 files, 1 folders\n', stderr: ''})
    // Through the thin client (`mega-hello count`, a link to bin/mega-shim): the server's hosts were reloaded for the
    // new plugin list, without a restart.
    const serverPid = user.serverPids()
    const viaServer = await user.runClient('hello', ['count', '/docs'], {env})
    expect(viaServer).to.deep.include({code: 0, stdout: '/docs: 3 files, 1 folders\n', stderr: ''})
    expect(user.serverPids(), 'the same server').to.deep.equal(serverPid)
    const missing = await user.runClient('hello:count', ['/nothing'], {env})
    expect(missing).to.deep.include({code: 53, stderr: '/nothing: No such file or directory\n'})

    // Its service was registered in the running server and listens to the live feed.
    const status = await user.runClient('server:status', [], {env})
    expect(status.stdout).to.match(/^ {2}hello: running \(0 remote changes seen\)$/m)
    await waitFor('the live feed', async () => JSON.parse((await user.runClient('server:status', ['--json'], {env})).stdout).feed.state === 'live')
    const other = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    try {
      await other.mkdir('from-elsewhere')
    } finally {
      await other.close()
    }
    const seen = await waitFor('the new folder in the service', async () => {
      const result = await user.runClient('hello:count', ['/', '--changes'], {env})
      return / \(last: .*\bt\b.*\)$/m.test(result.stdout) && result
    })
    expect(seen.stdout).to.match(/^\/: 3 files, 3 folders\nremote changes seen by the server: [1-9]\d* \(last: /)
    // From a command run in-process, the call goes over the server's socket.
    const json = await user.run(['hello', 'count', '/', '--changes', '--json'], {env})
    const counted = JSON.parse(json.stdout) as CountJson
    expect(counted).to.deep.include({path: '/', files: 3, folders: 3})
    expect(counted.changes?.recent.map((change) => change.kind)).to.include('t')

    const uninstall = await user.run(['plugins', 'uninstall', EXAMPLE_NAME], {env})
    expect(uninstall.code, uninstall.stderr).to.equal(0)
    const goneHere: CliResult = await user.run(['hello', 'count', '/docs'], {env})
    expect(goneHere).to.deep.include({code: 51, stdout: ''})
    expect(goneHere.stderr).to.equal('Command not found: hello count /docs. Run "mega help" for the list of commands.\n')
    const goneThere = await user.runClient('hello:count', ['/docs'], {env})
    expect(goneThere).to.deep.include({code: 51, stdout: ''})
    expect(goneThere.stderr).to.match(/^Command not found: hello count\b.*\n$/)
    const after = await user.runClient('server:status', [], {env})
    // The server's own service, the transfer queue, the syncs, the backups and the WebDAV server (our plugins',
    // registered in no set order) stay; the example's is gone.
    const services = after.stdout.slice(after.stdout.indexOf('Services:')).split('\n').filter(Boolean)
    expect(services[0]).to.equal('Services: 5')
    expect(services.slice(1, 6).sort()).to.deep.equal([
      '  backup: idle (0 backup(s), 0 running)', '  server: running', '  sync: idle (0 sync(s), 0 busy)', '  transfers: idle (0 running, 0 pending)',
      '  webdav: idle (not serving)',
    ])
    expect(user.serverPids(), 'the same server').to.deep.equal(serverPid)
  })

  it('mega autocomplete bash: instructions, and a completion function that completes mega\'s commands and flags', async function () {
    const instructions = await user.run(['autocomplete', 'bash'], {env})
    expect(instructions.code, instructions.stderr).to.equal(0)
    expect(instructions.stdout).to.include('Setup Instructions for MEGA CLI Autocomplete')
    expect(instructions.stdout).to.include('printf "$(mega autocomplete script bash)" >> ~/.bashrc; source ~/.bashrc')
    const script = await user.run(['autocomplete', 'script', 'bash'], {env})
    const setup = script.stdout.trim()
    // The cache it sources is in this profile's MEGA_CACHE_DIR, not the user's ~/.cache.
    expect(setup).to.equal(`MEGA_AC_BASH_SETUP_PATH=${join(env.MEGA_CACHE_DIR, 'autocomplete', 'bash_setup')} && test -f $MEGA_AC_BASH_SETUP_PATH && source $MEGA_AC_BASH_SETUP_PATH; # mega autocomplete setup`)

    expect(new Set(await bashCompletions(setup, ['mega', 'l']))).to.deep.equal(new Set(['login', 'logout', 'log', 'ls', 'local-server']))
    expect(await bashCompletions(setup, ['mega', 'plugins', ''])).to.include.members(['install', 'link', 'uninstall'])
    expect(await bashCompletions(setup, ['mega', 'ls', '--'])).to.include.members(['--long', '--recursive', '--json'])
    // A linked plugin's commands join once the cache is refreshed; uninstalling refreshes it (plugin-autocomplete's
    // plugins:postuninstall hook).
    expect((await user.run(['plugins', 'link', '--no-install', EXAMPLE], {env})).code).to.equal(0)
    expect((await user.run(['autocomplete', '--refresh-cache'], {env})).code).to.equal(0)
    expect(await bashCompletions(setup, ['mega', 'he'])).to.include.members(['hello', 'help'])
    expect((await user.run(['plugins', 'uninstall', EXAMPLE_NAME], {env})).code).to.equal(0)
    expect(await bashCompletions(setup, ['mega', 'he'])).to.deep.equal(['help'])
  })
})
