import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser, runProcess, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {loggedInUser} from '../helpers/backups.js'
import {curl, freePort, serve} from '../helpers/webdav.js'

const EMAIL = 'webdav-command@example.com'
const PASSWORD = 'webdav pw'

/** A self-signed certificate and its key (PEM), made by openssl. */
async function certificate(dir: string, name: string): Promise<{cert: string; key: string}> {
  const cert = join(dir, `${name}.pem`)
  const key = join(dir, `${name}.key`)
  expectOk(await runProcess('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'], process.env))
  return {cert, key}
}

/** The `webdav` command: MEGAcmd's lines, serving a file, TLS, persistence across restarts, robustness, bad input. */
describe('webdav: the command, its settings, restarts and bad input', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  const user = loggedInUser(server, EMAIL, PASSWORD)

  before(async function () {
    const local = tempDir('davc-')
    writeFileSync(join(local, 'movie.mp4'), Buffer.alloc(100_000, 1))
    expectOk(await user().run(['mkdir', '-p', '/served/inner', '/other']))
    expectOk(await user().run(['put', join(local, 'movie.mp4'), '/served/']))
  })

  it('serves folders and files with MEGAcmd\'s lines, lists them, stops one and all; what is served comes back after a restart', async function () {
    const port = await freePort()
    const folder = await serve(user(), '/served', port)
    const handles = await user().handles('/')
    expect(folder).to.equal(`http://127.0.0.1:${port}/${handles.served}/served`)
    const file = await serve(user(), '/served/movie.mp4', port + 1)
    const fileHandle = (await user().handles('/served'))['movie.mp4']
    expect(file, 'the first location\'s port serves them all').to.equal(`http://127.0.0.1:${port}/${fileHandle}/movie.mp4`)
    const video = await curl(file, ['-H', 'Range: bytes=0-9'])
    expect(video.status).to.equal(206)
    expect(video.headers['content-type']).to.equal('video/mp4')
    // Settings asked for that differ from the running server's are named on stderr; none asked for, nothing said.
    const asked = await user().run(['webdav', '/served/inner', `--port=${port + 2}`])
    expect(expectOk(asked)).to.match(/^Serving via webdav \/served\/inner: /)
    expect(asked.stderr).to.match(/runs already with other settings/)
    const plain = await user().run(['webdav', '/served/inner'])
    expect([expectOk(plain), plain.stderr]).to.deep.equal([`Serving via webdav /served/inner: http://127.0.0.1:${port}/${(await user().handles('/served')).inner}/inner\n`, ''])
    expect(expectOk(await user().run(['webdav', '-d', '/served/inner']))).to.equal('/served/inner no longer served via webdav\n')
    expect(expectOk(await user().run(['webdav']))).to.equal(`WEBDAV SERVED LOCATIONS:\n/served: ${folder}\n/served/movie.mp4: ${file}\n`)
    expect(JSON.parse(expectOk(await user().runClient('webdav', ['--json']))).locations).to.have.length(2)

    // Served locations are kept: a new background server serves them again.
    await user().stopServer()
    expect(expectOk(await user().run(['webdav']))).to.include(`/served: ${folder}`)
    expect((await curl(`${folder}/movie.mp4`)).status).to.equal(200)

    expect(expectOk(await user().run(['webdav', '-d', '/served/movie.mp4']))).to.equal('/served/movie.mp4 no longer served via webdav\n')
    expect((await curl(file)).status).to.equal(404)
    expect((await curl(`${folder}/inner/`, ['-X', 'PROPFIND', '-H', 'Depth: 0'])).status).to.equal(207)
    expect(expectOk(await user().run(['webdav', '-d', '--all']))).to.equal('Wevdav server stopped: no path will be served.\n')
    expect(expectOk(await user().run(['webdav']))).to.equal('Webdav server might not running. Add a new location to serve.\n')
    const refused = await runProcess('curl', ['-s', '-o', '/dev/null', folder], process.env)
    expect(refused.code, 'nothing listens any more').to.equal(7)
  })

  it('HTTPS with a certificate and key; --public without --tls is served with a warning', async function () {
    const dir = tempDir('davc-tls-')
    const {cert, key} = await certificate(dir, 'server')
    const tls = new MegaUser(server().url)
    await tls.login(EMAIL, PASSWORD)
    const port = await freePort()
    const url = await serve(tls, '/served', port, ['--tls', `--certificate=${cert}`, `--key=${key}`])
    expect(url).to.match(new RegExp(`^https://127\\.0\\.0\\.1:${port}/`))
    const got = await curl(`${url}/movie.mp4`)
    expect(got.status).to.equal(200)
    expect(got.body.length).to.equal(100_000)
    await tls.stopServer()

    const open = new MegaUser(server().url)
    await open.login(EMAIL, PASSWORD)
    const publicPort = await freePort()
    const result = await open.run(['webdav', '/served', `--port=${publicPort}`, '--public'])
    expect(result.code).to.equal(0)
    expect(result.stderr).to.match(/without --tls/)
    expect((await curl(`http://127.0.0.1:${publicPort}/${(await open.handles('/')).served}/served/movie.mp4`, ['-I'])).status).to.equal(200)
    await open.stopServer()
  })

  it('an exception inside a request answers 500 and the server goes on; MOVE and COPY stay inside the served tree', async function () {
    const folder = await serve(user(), '/served', await freePort())
    // A malformed If header makes webdav-server 2.6 throw a TypeError from inside its own callbacks (checkIfHeader).
    expect((await curl(`${folder}/made`, ['-X', 'MKCOL', '-H', 'If: (<bad'])).status).to.equal(500)
    expect((await curl(`${folder}/inner`, ['-X', 'MOVE', '-H', 'Destination: %%zz'])).status, 'a Destination that is not a URI').to.equal(403)
    expect((await curl(`${folder}/movie.mp4`, ['-I'])).status).to.equal(200)
    const other = (await user().handles('/')).other
    const origin = new URL(folder).origin
    expect((await curl(`${folder}/inner`, ['-X', 'COPY', '-H', `Destination: ${origin}/${other}/other/x`])).status).to.equal(403)
    expect((await curl(`${folder}/inner`, ['-X', 'MOVE', '-H', `Destination: ${origin}/elsewhere`])).status).to.equal(403)
    expect(expectOk(await user().run(['ls', '/served']))).to.include('inner')
    // A web page's script (a browser sends its Origin) gets nothing, and no answer invites one (CORS).
    expect((await curl(`${folder}/inner`, ['-X', 'DELETE', '-H', 'Origin: https://evil.example'])).status).to.equal(403)
    const options = await curl(`${folder}/`, ['-X', 'OPTIONS'])
    expect(options.headers.dav).to.equal('1,2')
    expect(Object.keys(options.headers).filter((name) => name.startsWith('access-control-') || name === 'www-authenticate')).to.deep.equal([])
    expect(expectOk(await user().run(['ls', '/served']))).to.include('inner')
    expectOk(await user().run(['webdav', '-d', '--all']))
  })

  it('refuses bad input with its exit code and one line', async function () {
    expectOk(await user().run(['webdav', '-d', '--all']))
    const dir = tempDir('davc-bad-')
    const busy: Server = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()))
    const busyPort = (busy.address() as {port: number}).port
    try {
      expectFailure(await user().run(['webdav', '/served', `--port=${busyPort}`]), 54, new RegExp(`port ${busyPort} is in use`))
    } finally {
      busy.close()
    }
    expectFailure(await user().run(['webdav', '/nothing/here', `--port=${await freePort()}`]), 53, /\/nothing\/here not found/)
    expectFailure(await user().run(['webdav', '-d', '/other']), 53, /\/other is not served via webdav/)
    expectFailure(await user().run(['webdav', '-d', '/nothing/here']), 53, /^Path not found: \/nothing\/here$/)
    // A served folder that was deleted since can still be stopped by its path.
    expectOk(await user().run(['mkdir', '/gone']))
    await serve(user(), '/gone', await freePort())
    expectOk(await user().run(['rm', '-r', '-f', '/gone']))
    expect(expectOk(await user().run(['webdav', '-d', '/gone']))).to.equal('/gone no longer served via webdav\n')
    expectFailure(await user().run(['webdav', '-d']), 51, /-d takes a remote path, or --all/)
    expectFailure(await user().run(['webdav', '/served', '--tls']), 51, /--tls needs both --certificate and --key/)
    const a = await certificate(dir, 'a')
    const b = await certificate(dir, 'b')
    expectFailure(await user().run(['webdav', '/served', `--port=${await freePort()}`, '--tls', `--certificate=${join(dir, 'missing.pem')}`, `--key=${a.key}`]), 55, /Cannot read the certificate .*missing\.pem/)
    expectFailure(await user().run(['webdav', '/served', `--port=${await freePort()}`, '--tls', `--certificate=${a.cert}`, `--key=${b.key}`]), 51, /cannot be used together/)
    expect(expectOk(await user().run(['webdav']))).to.equal('Webdav server might not running. Add a new location to serve.\n')
  })
})
