import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {type ConnectProxy, refusingPort, startConnectProxy} from '../helpers/connect-proxy.js'
import {expectOk} from '../helpers/expectations.js'
import {waitFor} from '../helpers/wait.js'

describe('proxy: API requests and transfers through an HTTP CONNECT proxy', function () {
  const server = localServerForSuite([{email: 'proxy@example.com', password: 'proxy pw'}])
  let proxy: ConnectProxy
  let user: MegaUser

  before(async function () {
    // The proxy demands credentials: a request that went around it, or without them, would not work.
    proxy = await startConnectProxy({credentials: 'alice:s3cret pw'})
    user = new MegaUser(server().url)
  })

  after(async function () {
    await user.stopServer()
    await proxy.close()
  })

  it('logs in, uploads and downloads through the proxy, whose setting reads back without the password', async function () {
    expect(expectOk(await user.run(['proxy']))).to.equal('No proxy configuration found\n')
    expect(expectOk(await user.run(['proxy', proxy.url, '--username', 'alice', '--password', 's3cret pw']))).to.equal(`Proxy set: ${proxy.url} type = PROXY_CUSTOM\n`)
    expect(expectOk(await user.run(['proxy']))).to.equal(`Proxy configured. \n Type = CUSTOM\n URL = ${proxy.url}\n username = alice\n password = ********\n`)
    await user.login('proxy@example.com', 'proxy pw')
    const content = randomBytes(3 * 1048576 + 3)
    const file = join(tempDir(), 'through.bin')
    writeFileSync(file, content)
    expectOk(await user.run(['put', file, '/']))
    const into = tempDir()
    expectOk(await user.run(['get', '/through.bin', into]))
    expect(readFileSync(join(into, 'through.bin')).equals(content)).to.equal(true)
    // The API and the transfer URLs are all on the local server's port: every connection went through the proxy.
    expect(proxy.tunnels.length).to.be.at.least(3)
    expect(new Set(proxy.tunnels)).to.deep.equal(new Set([`127.0.0.1:${server().port}`]))
    expect(readFileSync(join(user.home, 'settings.json'), 'utf8')).to.contain('"type": "custom"')
  })

  it('a proxy that refuses connections: a command fails with one line; a queued download waits (RETRYING), is paused, and finishes once the proxy is fixed and it is resumed', async function () {
    const content = randomBytes(6 * 1048576 + 1)
    const file = join(tempDir(), 'queued.bin')
    writeFileSync(file, content)
    expectOk(await user.run(['put', file, '/']))
    const into = tempDir()
    expectOk(await user.run(['speedlimit', '-d', '512K']))
    const started = expectOk(await user.run(['get', '-q', '--print-tag-at-start', '/queued.bin', into]))
    const tag = Number(/Tag = (\d+)\./.exec(started)![1])
    const stateOf = async () => (JSON.parse(expectOk(await user.run(['transfers', '--json']))) as {transfers: Array<{tag: number; state: string; bytesDone: number}>}).transfers.find((t) => t.tag === tag)
    await waitFor('the download under way', async () => ((await stateOf())?.bytesDone ?? 0) > 1048576)
    const dead = `http://127.0.0.1:${await refusingPort()}`
    expect(expectOk(await user.run(['proxy', dead]))).to.equal(`Proxy set: ${dead} type = PROXY_CUSTOM\n`)
    proxy.cutTunnels()
    // Both at once: the command's retries and the queue's take about 20 s each.
    const [ls] = await Promise.all([
      user.run(['ls', '/']),
      waitFor('the download waiting to retry', async () => (await stateOf())?.state === 'RETRYING'),
    ])
    expect(ls.code, ls.stderr).to.equal(18)
    expect(ls.stderr.trim().split('\n')).to.have.length(1)
    expect(ls.stderr).to.match(new RegExp(`cannot reach the MEGA API at .+ \\(ECONNREFUSED through the proxy ${dead.replace(/\./g, '\\.')}\\)`))
    expect(readdirSync(into).filter((name) => !name.startsWith('.'))).to.deep.equal([])
    // Its retry timer may have run it again meanwhile (it fails again the same way): pausing holds it in any case.
    expect(expectOk(await user.run(['transfers', '-p', String(tag)]))).to.equal(`Transfer ${tag} paused successfully.\n`)
    expect((await stateOf())?.state).to.equal('PAUSED')
    expect(expectOk(await user.run(['proxy', '--none']))).to.equal('Proxy unset correctly\n')
    expect(expectOk(await user.run(['proxy']))).to.equal('Proxy disabled\n')
    expectOk(await user.run(['speedlimit', '0']))
    expect(expectOk(await user.run(['transfers', '-r', String(tag)]))).to.equal(`Transfer ${tag} resumed successfully.\n`)
    await waitFor('the download done', async () => (await stateOf())?.state === 'COMPLETED')
    expect(readdirSync(into)).to.deep.equal(['queued.bin'])
    expect(readFileSync(join(into, 'queued.bin')).equals(content)).to.equal(true)
  })

  it('refuses a proxy it cannot speak to, exit 51', async function () {
    const result = await user.run(['proxy', 'socks5://127.0.0.1:1080'])
    expect(result.code).to.equal(51)
    expect(result.stderr).to.match(/^Unsupported proxy: socks5:\/\/127\.0\.0\.1:1080/)
  })
})
