import {expect} from 'chai'
import {existsSync, readdirSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {waitFor} from '../helpers/wait.js'

function json(result: {code: number; stdout: string; stderr: string}): Record<string, unknown> {
  expect(result.code, result.stderr).to.equal(0)
  return JSON.parse(result.stdout) as Record<string, unknown>
}

describe('--json on every command', function () {
  const server = localServerForSuite([{email: 'dave@example.com', password: 'dave pw'}])

  it('returns typed results instead of text', async function () {
    const user = new MegaUser(server().url)
    expect(json(await user.run(['login', 'dave@example.com', 'dave pw', '--json']))).to.include({email: 'dave@example.com'})
    expect(json(await user.run(['whoami', '--json']))).to.include({email: 'dave@example.com'})
    expect(json(await user.run(['session', '--json'])).session).to.be.a('string')
    expect(json(await user.run(['mkdir', '-p', '/j/k', '--json'])).created).to.deep.equal(['/j', '/j/k'])
    expect(json(await user.run(['cd', '/j', '--json']))).to.deep.equal({cwd: '/j'})
    expect(json(await user.run(['pwd', '--json']))).to.deep.equal({cwd: '/j'})
    const local = tempDir()
    writeFileSync(join(local, 'f.txt'), 'hello')
    const put = json(await user.run(['put', join(local, 'f.txt'), '/j/k', '--json']))
    expect(put.uploaded).to.have.length(1)
    expect((put.uploaded as Array<{remote: string}>)[0].remote).to.equal('/j/k/f.txt')
    const ls = json(await user.run(['ls', '-l', '/j/k', '--json']))
    expect((ls.entries as Array<{name: string; size: number; type: string}>)[0]).to.include({name: 'f.txt', size: 5, type: 'file'})
    const get = json(await user.run(['get', '/j/k/f.txt', local, '--json']))
    expect((get.downloaded as Array<{skipped: boolean}>)[0].skipped).to.equal(true)
    expect(json(await user.run(['mv', '/j/k/f.txt', '/j/g.txt', '--json'])).moved).to.deep.equal([{from: '/j/k/f.txt', to: '/j/g.txt'}])
    expect(json(await user.run(['rm', '-r', '-f', '/j/k', '--json'])).deleted).to.deep.equal(['/j/k'])
    const failure = await user.run(['ls', '/nope', '--json'])
    expect(failure.code).to.equal(53)
    expect(JSON.parse(failure.stdout).error).to.include({exitCode: 53})
    expect(json(await user.run(['logout', '--json']))).to.deep.equal({keptSession: false})
  })
})

describe('a busy server (EAGAIN)', function () {
  const server = localServerForSuite([{email: 'erin@example.com', password: 'erin pw'}], {faults: 'eagain:2'})

  it('retries with backoff and gets through', async function () {
    const user = new MegaUser(server().url)
    const login = await user.run(['login', 'erin@example.com', 'erin pw', '-v'])
    expect(login.code, login.stderr).to.equal(0)
    expect(login.stderr).to.match(/EAGAIN/)
    expect((await user.run(['mkdir', '/busy'])).code).to.equal(0)
    expect((await user.run(['ls', '/'])).stdout).to.equal('busy\n')
  })
})

describe('Ctrl-C during a download', function () {
  // Download data answers 20 s late, so a download is still running when the test interrupts it.
  const server = localServerForSuite([{email: 'gina@example.com', password: 'gina pw'}], {faults: 'dlslow:20000'})

  it('stops with exit 130 and leaves no partial file behind', async function () {
    const user = new MegaUser(server().url)
    await user.login('gina@example.com', 'gina pw')
    const local = tempDir()
    for (let i = 0; i < 16; i++) writeFileSync(join(local, `part-${i}.bin`), Buffer.alloc(100000, i))
    expect((await user.run(['put', local, '/'])).code).to.equal(0)
    const dest = tempDir()
    const folder = join(dest, basename(local))
    const running = user.start(['get', `/${basename(local)}`, dest])
    // Interrupt once the download visibly runs: its first partial file is there.
    await waitFor('a partial file', () => existsSync(folder) && readdirSync(folder).some((name) => name.includes('.mega-partial-')), running.done)
    running.child.kill('SIGINT')
    const result = await running.done
    expect(result.code, result.stderr).to.equal(130)
    expect(result.stderr.trim()).to.equal('Interrupted')
    const left = readdirSync(folder)
    expect(left.length).to.be.below(16)
    expect(left.filter((name) => name.includes('partial'))).to.deep.equal([])
  })
})
