import {expect} from 'chai'
import {createHash, randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {type MutableFile, Storage} from 'megajs'
import {localServerForSuite} from '../helpers/local-server.js'
import {runProcess, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {loggedInUser} from '../helpers/backups.js'
import {treeOf} from '../helpers/sync-trees.js'
import {curl, freePort, serve} from '../helpers/webdav.js'

const EMAIL = 'webdav-clients@example.com'
const PASSWORD = 'webdav pw'

/** Names that break careless WebDAV servers and clients: spaces, unicode, `#`, `?`, `%`, `+`. */
const NAMES = ['plain', 'with space', 'ünïcødé ✓', 'hash #1', 'what?', 'per%20cent', 'a+b', 'mix #?%+ é']

/**
 * Real WebDAV clients against a folder the background server serves: curl request by request, rclone's webdav backend,
 * cadaver, and megajs as an independent MEGA client reading what came in through WebDAV.
 */
describe('webdav: curl, rclone, cadaver and megajs against a served folder', function () {
  const server = localServerForSuite([{email: EMAIL, password: PASSWORD}])
  const user = loggedInUser(server, EMAIL, PASSWORD)
  const big = randomBytes(3 * 1024 * 1024 + 123)
  let base: string

  before(async function () {
    const local = tempDir('dav-src-')
    writeFileSync(join(local, 'big.bin'), big)
    expectOk(await user().run(['mkdir', '-p', '/dav/sub']))
    expectOk(await user().run(['put', join(local, 'big.bin'), '/dav/']))
    base = await serve(user(), '/dav', await freePort())
    expect(base).to.match(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{8}\/dav$/)
  })

  it('curl: byte ranges, ETag and Last-Modified, 416 past the end, 304, PROPFIND depths, and 404 outside the served tree', async function () {
    const whole = await curl(`${base}/big.bin`)
    expect(whole.status).to.equal(200)
    expect(whole.body.equals(big)).to.equal(true)
    expect(whole.headers['accept-ranges']).to.equal('bytes')
    expect(whole.headers.etag).to.match(/^"[\w-]{8}"$/)
    expect(Date.parse(whole.headers['last-modified'])).to.be.a('number').and.not.NaN

    const part = await curl(`${base}/big.bin`, ['-H', 'Range: bytes=1000000-1999999'])
    expect(part.status).to.equal(206)
    expect(part.headers['content-range']).to.equal(`bytes 1000000-1999999/${big.length}`)
    expect(part.body.equals(big.subarray(1000000, 2000000))).to.equal(true)
    const odd = await curl(`${base}/big.bin`, ['-H', 'Range: bytes=17-33'])
    expect(odd.body.equals(big.subarray(17, 34)), 'a range that does not start on an AES block').to.equal(true)
    const tail = await curl(`${base}/big.bin`, ['-H', 'Range: bytes=-100'])
    expect(tail.body.equals(big.subarray(big.length - 100))).to.equal(true)
    const past = await curl(`${base}/big.bin`, ['-H', `Range: bytes=${big.length}-`])
    expect(past.status).to.equal(416)
    expect(past.headers['content-range']).to.equal(`bytes */${big.length}`)
    expect((await curl(`${base}/big.bin`, ['-H', `If-None-Match: ${whole.headers.etag}`])).status).to.equal(304)
    expect((await curl(`${base}/big.bin`, ['-I'])).headers['content-length']).to.equal(String(big.length))

    const listing = await curl(`${base}/`, ['-X', 'PROPFIND', '-H', 'Depth: 1'])
    expect(listing.status).to.equal(207)
    const hrefs = [...listing.body.toString().matchAll(/<D:href>([^<]*)<\/D:href>/g)].map((m) => m[1])
    const mount = new URL(base).pathname
    expect(hrefs).to.include.members([`${mount}/`, `${mount}/big.bin`, `${mount}/sub/`])
    expect(listing.body.toString()).to.include(`<D:getcontentlength>${big.length}</D:getcontentlength>`)
    expect((await curl(`${base}/big.bin`, ['-X', 'PROPFIND', '-H', 'Depth: 0'])).status).to.equal(207)
    const infinite = await curl(`${base}/`, ['-X', 'PROPFIND', '-H', 'Depth: infinity'])
    expect(infinite.status).to.equal(403)
    expect(infinite.body.toString()).to.include('propfind-finite-depth')

    const origin = new URL(base).origin
    for (const outside of [`${origin}/`, `${origin}${mount.split('/').slice(0, 2).join('/')}/`, `${origin}/AAAAAAAA/dav`, `${base}x/big.bin`, `${base}/nothing`]) {
      expect((await curl(outside)).status, outside).to.equal(404)
    }
  })

  it('curl: PUT (plain and chunked), MKCOL, MOVE, COPY on the server, DELETE to the rubbish bin; megajs reads what was PUT', async function () {
    const local = tempDir('dav-put-')
    const content = randomBytes(1024 * 1024 + 5)
    writeFileSync(join(local, 'up.bin'), content)
    expect((await curl(`${base}/up.bin`, ['-T', join(local, 'up.bin')])).status).to.equal(201)
    const changed = Buffer.concat([content, Buffer.from('more')])
    writeFileSync(join(local, 'up2.bin'), changed)
    expect((await curl(`${base}/up.bin`, ['-T', join(local, 'up2.bin'), '-H', 'Transfer-Encoding: chunked'])).status).to.equal(204)
    expect((await curl(`${base}/made`, ['-X', 'MKCOL'])).status).to.equal(201)
    expect((await curl(`${base}/up.bin`, ['-X', 'COPY', '-H', `Destination: ${base}/made/copy.bin`])).status).to.equal(201)
    expect((await curl(`${base}/made/copy.bin`, ['-X', 'MOVE', '-H', `Destination: ${base}/sub/moved.bin`])).status).to.equal(201)
    expect((await curl(`${base}/sub/moved.bin`)).body.equals(changed)).to.equal(true)
    expect((await curl(`${base}/made`, ['-X', 'DELETE'])).status).to.be.oneOf([200, 204])
    expect((await curl(`${base}/made`)).status).to.equal(404)

    const ls = expectOk(await user().run(['ls', '-l', '/dav']))
    expect(ls).to.match(/ {4}2 +1048585 .* up\.bin/, 'the PUT over an existing file made a version')
    expect(expectOk(await user().run(['ls', '//bin']))).to.include('made')

    // megajs, an independent client, downloads what came in through WebDAV: its MAC verifies, its bytes are those sent.
    const storage = await new Storage({email: EMAIL, password: PASSWORD, gateway: server().url, keepalive: false}).ready
    const dav = storage.root.children!.find((n) => n.name === 'dav')!
    const file = dav.children!.find((n) => n.name === 'up.bin') as MutableFile
    expect((await file.downloadBuffer({})).equals(changed)).to.equal(true)
  })

  it('rclone (webdav backend, vendor other) copies a 200-file tree with awkward names up and back down; rclone check finds no difference', async function () {
    this.timeout(180_000)
    const tree = tempDir('dav-rc-')
    for (let i = 0; i < 200; i++) {
      const folder = join(tree, NAMES[i % NAMES.length] + (i % 3 === 0 ? '' : ` dir`))
      mkdirSync(folder, {recursive: true})
      writeFileSync(join(folder, `${NAMES[(i * 7) % NAMES.length]} ${i}.txt`), `file ${i} ${NAMES[i % NAMES.length]}\n`.repeat(i % 50))
    }
    const rclone = (args: string[]) => runProcess('rclone', [...args, '--webdav-url', base, '--webdav-vendor', 'other', '--config', '/dev/null'], process.env, {timeoutMs: 170_000})
    expectOk(await rclone(['copy', tree, ':webdav:rc']))
    const down = tempDir('dav-rc-down-')
    expectOk(await rclone(['copy', ':webdav:rc', down]))
    expect(treeOf(down)).to.deep.equal(treeOf(tree))
    const check = await rclone(['check', tree, ':webdav:rc'])
    expect(check.code, check.stderr).to.equal(0)
    expect(check.stderr).to.match(/0 differences found/).and.match(/200 matching files/)
  })

  it('cadaver, scripted: ls, mkcol, put, get, move, propset/propget, lock and unlock, delete', async function () {
    const local = tempDir('dav-cadaver-')
    writeFileSync(join(local, 'note.txt'), 'written by cadaver\n')
    const script = [
      'mkcol cad', 'cd cad', `lcd ${local}`, 'put note.txt', 'ls', 'propset note.txt color red', 'propget note.txt color',
      'lock note.txt', 'unlock note.txt', 'move note.txt renamed.txt', 'get renamed.txt back.txt', 'delete renamed.txt', 'ls', 'quit',
    ].join('\n')
    const result = await runProcess('cadaver', [`${base}/`], {...process.env, HOME: local}, {input: `${script}\n`})
    const out = result.stdout
    expect(out).to.match(/Uploading note\.txt to .*succeeded/)
    expect(out).to.match(/Setting property on .note\.txt.: succeeded/)
    expect(out).to.match(/note\.txt +19/)
    expect(out).to.match(/Value of color is: red/)
    expect(out).to.match(/Locking .note\.txt.: succeeded/)
    expect(out).to.match(/Unlocking .note\.txt.: succeeded/)
    expect(out).to.match(/Moving .* succeeded/)
    expect(out).to.match(/Deleting .renamed\.txt.: succeeded/)
    expect(readFileSync(join(local, 'back.txt'), 'utf8')).to.equal('written by cadaver\n')
    expect(expectOk(await user().run(['ls', '/dav/cad']))).to.equal('')
  })

  it('PROPPATCH with several set and remove blocks answers once; the properties come back; a held lock refuses a PUT (423)', async function () {
    const update = '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:mega-test"><D:set><D:prop><Z:color>red</Z:color></D:prop></D:set>'
      + '<D:remove><D:prop><Z:size/></D:prop></D:remove><D:set><D:prop><Z:shape>round &amp; <Z:b>bold</Z:b></Z:shape></D:prop></D:set></D:propertyupdate>'
    const patched = await curl(`${base}/big.bin`, ['-X', 'PROPPATCH', '-H', 'Content-Type: application/xml', '--data-binary', update])
    expect(patched.status).to.equal(207)
    expect(patched.body.toString().match(/<D:response>/g)).to.have.length(1)
    const props = (await curl(`${base}/big.bin`, ['-X', 'PROPFIND', '-H', 'Depth: 0'])).body.toString()
    expect(props).to.match(/<Z:color[^>]*>red<\/Z:color>/).and.match(/<Z:shape[^>]*>round &amp; <Z:b>bold<\/Z:b><\/Z:shape>/)
    expect((await curl(`${base}/big.bin`, ['-X', 'PROPPATCH', '--data-binary', '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:getetag>x</D:getetag></D:prop></D:set></D:propertyupdate>'])).body.toString()).to.include('403 Forbidden')
    expect((await curl(`${base}/big.bin`, ['-X', 'PROPPATCH', '--data-binary', '<not xml'])).status).to.equal(400)

    const lock = await curl(`${base}/sub`, ['-X', 'LOCK', '-H', 'Content-Type: application/xml', '-H', 'Depth: infinity', '--data-binary',
      '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>test</D:owner></D:lockinfo>'])
    expect(lock.status).to.equal(200)
    const token = lock.headers['lock-token']
    const local = tempDir('dav-lock-')
    writeFileSync(join(local, 'x.txt'), 'x')
    expect((await curl(`${base}/sub/locked.txt`, ['-T', join(local, 'x.txt')])).status).to.equal(423)
    expect((await curl(`${base}/sub/locked.txt`, ['-T', join(local, 'x.txt'), '-H', `If: (${token})`])).status).to.equal(201)
    expect((await curl(`${base}/sub`, ['-X', 'UNLOCK', '-H', `Lock-Token: ${token}`])).status).to.equal(204)
    expect((await curl(`${base}/sub/locked.txt`, ['-T', join(local, 'x.txt')])).status).to.equal(204)
    // The background server is still the same one, and answers.
    expect(createHash('sha256').update((await curl(`${base}/big.bin`)).body).digest('hex')).to.equal(createHash('sha256').update(big).digest('hex'))
  })
})
