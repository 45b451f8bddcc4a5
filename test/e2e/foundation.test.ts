import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {addUser, startLocalServer, type TestServer} from '../helpers/local-server.js'
import {MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'

const EMAIL = 'alice@example.com'
const PASSWORD = 'pass w0rd'

function writeRandom(path: string, size: number): Buffer {
  const data = randomBytes(size)
  writeFileSync(path, data)
  return data
}


describe('foundation: login → ls → put → get end to end', function () {
  let server: TestServer
  let user: MegaUser

  before(async function () {
    server = await startLocalServer()
    await addUser(server, EMAIL, PASSWORD, {name: 'Alice A'})
    user = new MegaUser(server.url)
  })

  after(async function () {
    await server?.stop()
  })

  describe('before login', function () {
    it('refuses logged-in commands with exit 57', async function () {
      expectFailure(await user.run(['ls']), 57, /Not logged in/)
      expectFailure(await user.run(['whoami']), 57)
    })

    it('rejects an unknown flag with exit 51', async function () {
      expectFailure(await user.run(['ls', '--bogus']), 51, /--bogus/)
    })

    it('rejects an unknown command with exit 51', async function () {
      expectFailure(await user.run(['nope']), 51, /Command not found: nope/)
    })

    it('rejects a wrong password with exit 9', async function () {
      expectFailure(await user.run(['login', EMAIL, 'wrong password']), 9, /invalid email or password/)
    })

    it('fails fast instead of prompting when there is no TTY', async function () {
      const started = Date.now()
      const result = await user.run(['login', EMAIL], {timeoutMs: 20000})
      expectFailure(result, 51, /non-interactive/)
      expect(Date.now() - started).to.be.below(15000)
    })
  })

  describe('logged in', function () {
    before(async function () {
      expectOk(await user.run(['login', EMAIL, PASSWORD]))
    })

    it('whoami and session, plain and --json, in every command form', async function () {
      expect(expectOk(await user.run(['whoami']))).to.equal(`Account e-mail: ${EMAIL}\n`)
      expect(expectOk(await user.run(['account:whoami']))).to.equal(`Account e-mail: ${EMAIL}\n`)
      expect(expectOk(await user.run(['account', 'whoami']))).to.equal(`Account e-mail: ${EMAIL}\n`)
      expect(expectOk(await user.runShim('whoami', []))).to.equal(`Account e-mail: ${EMAIL}\n`)
      const json = JSON.parse(expectOk(await user.run(['whoami', '--json'])))
      expect(json.email).to.equal(EMAIL)
      expect(expectOk(await user.run(['session']))).to.match(/^Your \(secret\) session is: [\w-]{79}\n$/)
    })

    it('keeps the session in owner-only files', function () {
      expect(statSync(user.home).mode & 0o777).to.equal(0o700)
      for (const name of readdirSync(user.home).filter((n) => n.startsWith('cache.db'))) {
        expect(statSync(join(user.home, name)).mode & 0o777, name).to.equal(0o600)
      }
    })

    it('mkdir -p, cd, pwd, ls', async function () {
      expectOk(await user.run(['mkdir', '-p', '/a/b']))
      // MEGAcmd names the existing folder as the rest of the path it did not walk: its last component.
      expectFailure(await user.run(['mkdir', '/a/b']), 54, /^Folder already exists: b$/)
      expectFailure(await user.run(['mkdir', '/x/y/z']), 51, /^Use -p to create folders recursively$/)
      expectOk(await user.run(['cd', '/a']))
      expect(expectOk(await user.run(['pwd']))).to.equal('/a\n')
      expect(expectOk(await user.run(['ls']))).to.equal('b\n')
      // Children are listed by name, whatever the argument (megacmdexecuter.cpp dumptree).
      expect(expectOk(await user.run(['browse:ls', '/']))).to.equal('a\n')
      expect(expectOk(await user.run(['browse', 'ls', 'b/..']))).to.equal('b\n')
      expect(expectOk(await user.runShim('ls', ['/a']))).to.equal('b\n')
      expectFailure(await user.run(['cd', '/nope']), 53, /No such file or directory/)
      expectFailure(await user.run(['ls', '/nope']), 53, /Couldn't find \/nope/)
      expectOk(await user.run(['cd']))
      expect(expectOk(await user.run(['pwd']))).to.equal('/\n')
    })

    it('put files and folders, then get them back identical', async function () {
      const local = tempDir('mega-local-')
      mkdirSync(join(local, 'photos', 'raw'), {recursive: true})
      const one = writeRandom(join(local, 'photos', 'one.jpg'), 131073)
      const two = writeRandom(join(local, 'photos', 'raw', 'two.cr2'), 100)
      const notes = writeRandom(join(local, 'notes.txt'), 1)
      const put = expectOk(await user.run(['put', join(local, 'photos'), join(local, 'notes.txt'), '/a/b']))
      expect(put).to.equal('Upload finished: /a/b/photos\nUpload finished: /a/b/notes.txt\n')
      // MEGAcmd's order: folders first, then names in natural order; deeper levels one tab each.
      expect(expectOk(await user.run(['ls', '-R', '/a/b']))).to.equal('photos\n\traw\n\t\ttwo.cr2\n\tone.jpg\nnotes.txt\n')

      // A missing destination folder is created when its parent exists.
      const restore = join(tempDir('mega-restore-'), 'restore')
      const get = expectOk(await user.run(['get', '/a/b/photos', restore]))
      expect(get).to.equal(`Download finished: ${join(restore, 'photos')}\n`)
      expect(readFileSync(join(restore, 'photos', 'one.jpg')).equals(one)).to.equal(true)
      expect(readFileSync(join(restore, 'photos', 'raw', 'two.cr2')).equals(two)).to.equal(true)
      expectOk(await user.run(['get', '/a/b/notes.txt', join(restore, 'renamed.txt')]))
      expect(readFileSync(join(restore, 'renamed.txt')).equals(notes)).to.equal(true)

      // Uploading the grown tree again merges into it: identical files are not sent twice.
      mkdirSync(join(local, 'photos', 'new'))
      writeRandom(join(local, 'photos', 'new', 'three.png'), 5000)
      const again = JSON.parse(expectOk(await user.run(['put', join(local, 'photos'), '/a/b', '--json'])))
      expect(again.uploaded[0].remote).to.equal('/a/b/photos')
      expect(expectOk(await user.run(['ls', '-R', '/a/b/photos']))).to.equal('new\n\tthree.png\nraw\n\ttwo.cr2\none.jpg\n')
      // A different file under an existing name replaces it, which stays as its version (MEGAcmd, versioning on).
      writeRandom(join(local, 'photos', 'one.jpg'), 10)
      expectOk(await user.run(['put', join(local, 'photos', 'one.jpg'), '/a/b/photos']))
      expect(expectOk(await user.run(['ls', '-l', '/a/b/photos'])).match(/one\.jpg/g)).to.have.length(1)
      expect(expectOk(await user.run(['ls', '-l', '/a/b/photos/one.jpg']))).to.match(/^----\s+2\s+10 .* one\.jpg$/m)
      expectOk(await user.run(['rm', '/a/b/photos/one.jpg']))
      expectOk(await user.run(['put', join(local, 'photos', 'one.jpg'), '/a/b/photos/one.jpg']))
    })

    it('ls -l prints MEGAcmd columns', async function () {
      const out = expectOk(await user.run(['ls', '-l', '/a/b']))
      const [header, ...rows] = out.trimEnd().split('\n')
      expect(header).to.match(/^FLAGS VERS +SIZE +DATE +NAME$/)
      expect(rows[0]).to.match(/^d--- +- +- \d{2}[A-Z][a-z]{2}\d{4} \d{2}:\d{2}:\d{2} photos$/)
      expect(rows[1]).to.match(/^---- +1 +1 \d{2}[A-Z][a-z]{2}\d{4} \d{2}:\d{2}:\d{2} notes\.txt$/)
    })

    it('mv and rm', async function () {
      expectOk(await user.run(['mv', '/a/b/notes.txt', '/a']))
      expect(expectOk(await user.run(['ls', '/a']))).to.equal('b\nnotes.txt\n')
      expectOk(await user.run(['mv', '/a/notes.txt', '/a/renamed.txt']))
      expectFailure(await user.run(['rm', '/a/b']), 55, /Use -r/)
      expectFailure(await user.run(['rm', '-r', '/a/b']), 51, /-f/)
      expectOk(await user.run(['rm', '-r', '-f', '/a/b']))
      expect(expectOk(await user.run(['ls', '/a']))).to.equal('renamed.txt\n')
      expectFailure(await user.run(['rm', '/a/nope']), 53)
      expectFailure(await user.run(['mv', '/a/nope', '/a']), 53, /No such file or directory/)
      expectFailure(await user.run(['mv', '/a/renamed.txt', '/zzz/yyy/x']), 53, /No such directory/)
      expectFailure(await user.run(['mv', '/a/renamed.txt']), 51)
      expect(expectOk(await user.run(['ls', '/a']))).to.equal('renamed.txt\n')
    })

    it('mkdir, mv and rm carry on past a bad argument: one line per failure, the exit code of the last (MEGAcmd)', async function () {
      const mkdir = await user.run(['mkdir', '/a', '/c', '/x/y', '/c/d'])
      expect(mkdir.code).to.equal(51)
      expect(mkdir.stderr).to.equal('Folder already exists: a\nUse -p to create folders recursively\n')
      expect(expectOk(await user.run(['ls', '-R', '/c']))).to.equal('d\n')

      const mv = await user.run(['mv', '/c/nope', '/c/d', '/a'])
      expect(mv.code).to.equal(53)
      expect(mv.stderr).to.equal('/c/nope: No such file or directory\n')
      expect(expectOk(await user.run(['ls', '/a']))).to.equal('d\nrenamed.txt\n')

      const rm = await user.run(['rm', '/a/renamed.txt', '/a/d', '/c/nope'])
      expect(rm.code).to.equal(53)
      expect(rm.stderr).to.equal('Unable to delete folder: /a/d. Use -r to delete a folder recursively\n/c/nope: No such file or directory\n')
      expect(expectOk(await user.run(['ls', '/a']))).to.equal('d\n')
      const json = JSON.parse((await user.run(['rm', '/a/nope', '/c', '--json'])).stdout)
      expect(json).to.deep.equal({
        deleted: [],
        error: {exitCode: 55, message: 'Unable to delete folder: /c. Use -r to delete a folder recursively'},
        errors: [
          {exitCode: 53, message: '/a/nope: No such file or directory'},
          {exitCode: 55, message: 'Unable to delete folder: /c. Use -r to delete a folder recursively'},
        ],
      })
      expectOk(await user.run(['rm', '-r', '-f', '/a/d', '/c']))
    })

    it('commands missing their arguments print a usage error (51)', async function () {
      for (const args of [['mkdir'], ['rm'], ['put'], ['get'], ['mv']]) {
        expectFailure(await user.run(args), 51, /Usage|Missing/)
      }
    })

    it('bad transfer input: missing local file, folder into a file path, malformed link', async function () {
      const local = tempDir('mega-local-')
      expectFailure(await user.run(['put', join(local, 'missing.txt'), '/a']), 53, /Unable to open local path/)
      expectFailure(await user.run(['put', join(local), '/nope/deeper/x']), 53, /Use -c/)
      const file = join(local, 'plain.txt')
      writeFileSync(file, 'x')
      expectFailure(await user.run(['get', '/a', file]), 55, /not a valid Download Folder/)
      expectFailure(await user.run(['get', '/a', join(local, 'no', 'such', 'dir')]), 55, /not a valid Download Folder/)
      expectFailure(await user.run(['get', 'https://mega.nz/file/abc#nokey', local]), 55, /Invalid link/)
      expect(readdirSync(local)).to.deep.equal(['plain.txt'])
    })
  })
})
