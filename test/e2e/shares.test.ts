import Database from 'better-sqlite3'
import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {makeContacts, MegaUser, tempDir} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'
import {localServerForSuite, rawApi, serverNodeCount, type TestServer} from '../helpers/local-server.js'

const ALICE = {email: 'alice@example.com', password: 'alice secret'}
const BOB = {email: 'bob@example.com', password: 'bob secret'}
const CAROL = {email: 'carol@example.com', password: 'carol secret'}
const NEWBIE = {email: 'newbie@example.com', password: 'newbie secret'}
const CONFIRM_LINK = /https:\/\/mega\.nz\/#confirm[\w-]+/
const SINCE = String.raw`Contact since [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}`

/** What the server holds, read from its own database: shares, and the nodes of one folder by name. */
function serverShares(server: TestServer): Array<{node: string; user: string; access: number; pending: boolean}> {
  const db = new Database(join(server.dataDir, 'server.db'), {readonly: true, fileMustExist: true})
  try {
    return db.prepare<[], {node: string; user: string; access: number; pcr: string | null}>("SELECT node, user, access, pcr FROM shares WHERE user <> 'EXP' ORDER BY ts, user")
      .all().map((row) => ({node: row.node, user: row.user, access: row.access, pending: row.pcr !== null}))
  } finally {
    db.close()
  }
}



describe('shares with other users: share, mount, users -s and in-share paths', function () {
  const server = localServerForSuite([ALICE, BOB, CAROL])
  let alice: MegaUser
  let bob: MegaUser
  let carol: MegaUser
  const local = tempDir('mega-shares-')
  const files = {notes: join(local, 'notes.txt'), photo: join(local, 'photo.bin'), upload: join(local, 'upload.bin')}
  const content = {notes: Buffer.from('read me\n'), photo: randomBytes(200_000), upload: randomBytes(70_000)}

  before(async function () {
    ;[alice, bob, carol] = [ALICE, BOB, CAROL].map(() => new MegaUser(server().url))
    await alice.login(ALICE.email, ALICE.password)
    await bob.login(BOB.email, BOB.password)
    await carol.login(CAROL.email, CAROL.password)
    for (const [name, data] of Object.entries(content)) writeFileSync(files[name as keyof typeof files], data)
    await makeContacts({user: alice, email: ALICE.email}, {user: bob, email: BOB.email})
    expectOk(await alice.run(['mkdir', '-p', '/ro/inner', '/full', '/rw']))
    expectOk(await alice.run(['put', files.notes, '/ro']))
    expectOk(await alice.run(['put', files.photo, '/ro/inner']))
  })

  describe('bad input', function () {
    it('refuses with MEGAcmd\'s messages and exit codes, and shares nothing', async function () {
      expectFailure(await alice.run(['share', '-a', '--with=bob@example.com', '--level=7', '/ro']), 51, /^Invalid level of access$/)
      expectFailure(await alice.run(['share', '-a', '--with=bob@example.com', '--level=-2', '/ro']), 51, /^Invalid level of access$/)
      expectFailure(await alice.run(['share', '-a', '/ro']), 51, /^Required --with=user$/)
      expectFailure(await alice.run(['share', '--level=1', '/ro']), 51, /^Unexpected option received. To create\/modify a share use -a$/)
      expectFailure(await alice.run(['share', '-a', '--with=bob@example.com', '/nothere']), 53, /^Node not found: \/nothere$/)
      expectFailure(await alice.run(['share', 'bob@example.com']), 53, /^Could not find bob@example\.com\. Use --with=bob@example\.com to specify the user to share with$/)
      expectFailure(await alice.run(['share', '-a', '--with=bob@example.com', '/ro/notes.txt']), 55,
        /^Cannot share file: notes\.txt\. Only folders allowed\. You can send file to user's inbox with cp \(see "cp --help"\)$/)
      expectFailure(await alice.run(['share', '-a', '--with=bob', '/ro']), 2, /^Failed to share node: Invalid argument$/)
      expectFailure(await alice.run(['share', '-a', `--with=${ALICE.email}`, '/ro']), 2, /^Failed to share node: a folder cannot be shared with yourself$/)
      // Level 3 (owner) passes MEGAcmd's check; the server refuses it.
      expectFailure(await alice.run(['share', '-a', '--with=bob@example.com', '--level=3', '/ro']), 2, /^Failed to share node: Invalid argument$/)
      expectFailure(await alice.run(['share', '-d', '--with=bob@example.com', '/ro']), 9, /^Failed to disable share: Not found$/)
      expectFailure(await new MegaUser(server().url).run(['share']), 57, /^Not logged in\.$/)
      expectFailure(await new MegaUser(server().url).run(['mount']), 57, /^Not logged in\.$/)
      expect(serverShares(server())).to.deep.equal([])
      expect(expectOk(await alice.run(['share', '-p', '/']))).to.equal('')
    })
  })

  describe('a read-only share', function () {
    before(async function () {
      expect(expectOk(await alice.run(['share', '-a', '--with=bob@example.com', '/ro'])))
        .to.equal('New share: /ro, shared with bob@example.com (read access)\n')
    })

    it('is listed by share (relative to the cwd, or as given), mount and users -s on both sides', async function () {
      expect(expectOk(await alice.run(['share']))).to.equal('ro, shared with bob@example.com (read access)\n')
      expect(expectOk(await alice.run(['share', '/']))).to.equal('/ro, shared with bob@example.com (read access)\n')
      expect(expectOk(await alice.run(['share', '/ro']))).to.equal('/ro, shared with bob@example.com (read access)\n')
      expect(expectOk(await alice.run(['mount']))).to.equal('ROOT on /\nINBOX on //in\nRUBBISH on //bin\n')
      expect(expectOk(await bob.run(['mount']))).to.equal('ROOT on /\nINBOX on //in\nRUBBISH on //bin\nINSHARE on //from/alice@example.com:ro (read access)\n')
      expect(expectOk(await alice.run(['users', '-s']))).to.match(new RegExp(`^bob@example\\.com\\. ${SINCE}\\. Visible\n> Folders shared with bob@example\\.com:\n  ro, \\(read access\\)\n$`))
      expect(expectOk(await bob.run(['users', '-s']))).to.match(
        new RegExp(`^alice@example\\.com\\. ${SINCE}\\. Visible\n> Folders shared by alice@example\\.com:\n  //from/alice@example\\.com:ro \\(folder, inbound read access share\\)\n$`))
      const json = JSON.parse(expectOk(await bob.run(['mount', '--json'])))
      expect(json.mounts[3]).to.deep.equal({root: 'INSHARE', path: '//from/alice@example.com:ro', access: 'read access'})
    })

    it('the sharee lists, enters and downloads it by <email>:<folder> and //from/<email>:<folder>', async function () {
      expect(expectOk(await bob.run(['ls', 'alice@example.com:ro']))).to.equal('alice@example.com:ro/: \ninner\nnotes.txt\n')
      expect(expectOk(await bob.run(['ls', '-R', '//from/alice@example.com:ro/inner']))).to.equal('//from/alice@example.com:ro/inner: \nphoto.bin\n')
      expectOk(await bob.run(['cd', 'alice@example.com:ro/inner']))
      expect(expectOk(await bob.run(['pwd']))).to.equal('alice@example.com:ro/inner\n')
      expect(expectOk(await bob.run(['ls']))).to.equal('photo.bin\n')
      expectOk(await bob.run(['cd', '/']))
      const dest = tempDir('mega-shares-get-')
      expectOk(await bob.run(['get', 'alice@example.com:ro/notes.txt', dest]))
      expectOk(await bob.run(['get', '//from/alice@example.com:ro/inner', dest]))
      expect(readFileSync(join(dest, 'notes.txt'))).to.deep.equal(content.notes)
      expect(readFileSync(join(dest, 'inner', 'photo.bin'))).to.deep.equal(content.photo)
      expectFailure(await bob.run(['ls', 'alice@example.com:nothere']), 53, /^Couldn't find "alice@example\.com:nothere"$/)
    })

    it('a write exits 56 before anything is sent, and the server refuses it too', async function () {
      const before = serverNodeCount(server())
      const denied = /^Access denied: .*"ro".*alice@example\.com shares it with read access$/
      expectFailure(await bob.run(['put', files.upload, 'alice@example.com:ro']), 56, denied)
      expectFailure(await bob.run(['put', files.upload, 'alice@example.com:ro/inner/x.bin']), 56, denied)
      expectFailure(await bob.run(['mkdir', 'alice@example.com:ro/new']), 56, denied)
      expectFailure(await bob.run(['rm', 'alice@example.com:ro/notes.txt']), 56, denied)
      expectFailure(await bob.run(['mv', 'alice@example.com:ro/notes.txt', 'alice@example.com:ro/inner']), 56, denied)
      expectFailure(await bob.run(['mv', 'alice@example.com:ro/notes.txt', 'alice@example.com:ro/renamed.txt']), 56, denied)
      expect(serverNodeCount(server())).to.equal(before)
      // Our client never sends these; the server checks on its own (EACCESS, -11).
      const {ro} = await alice.handles('/')
      const {'notes.txt': notes} = await alice.handles('/ro')
      const sid = bob.session().sid
      const replies = await rawApi(server(), [
        {a: 'p', t: ro, n: [{h: 'xxxxxxxx', t: 1, a: 'AAAA', k: 'AAAAAAAAAAAAAAAAAAAAAA'}]},
        {a: 'd', n: notes},
        {a: 'a', n: notes, at: 'AAAA'},
        {a: 'm', n: notes, t: ro},
        {a: 'u', s: 10, t: ro},
        {a: 's2', n: ro, s: [{u: CAROL.email, r: 0}], ok: 'AAAAAAAAAAAAAAAAAAAAAA', ha: 'AAAAAAAAAAAAAAAAAAAAAA'},
      ], {sid})
      expect(replies).to.deep.equal([-11, -11, -11, -11, -11, -11])
      expect(serverNodeCount(server())).to.equal(before)
      // carol sees nothing of it: to her the folder does not exist.
      expect(await rawApi(server(), [{a: 'g', g: 1, n: notes}, {a: 'd', n: notes}], {sid: carol.session().sid})).to.deep.equal([-9, -9])
    })
  })

  describe('a full-access share', function () {
    before(async function () {
      expect(expectOk(await alice.run(['share', '-a', '--with=bob@example.com', '--level=2', '/full'])))
        .to.equal('New share: /full, shared with bob@example.com (full access)\n')
    })

    it('what the sharee uploads reaches the owner through catch-up, and opens for it', async function () {
      expect(expectOk(await bob.run(['put', files.upload, 'alice@example.com:full'])))
        .to.equal('Upload finished: alice@example.com:full/upload.bin\n')
      expectOk(await bob.run(['mkdir', 'alice@example.com:full/made-by-bob']))
      // alice's cache learns it from the action packets, without a reload.
      expect(expectOk(await alice.run(['ls', '/full']))).to.equal('made-by-bob\nupload.bin\n')
      const dest = tempDir('mega-shares-owner-')
      expectOk(await alice.run(['get', '/full/upload.bin', dest]))
      expect(readFileSync(join(dest, 'upload.bin'))).to.deep.equal(content.upload)
    })

    it('the sharee renames, moves and deletes in it; a move out of it is refused (56)', async function () {
      expectOk(await bob.run(['mv', 'alice@example.com:full/upload.bin', 'alice@example.com:full/made-by-bob/moved.bin']))
      expect(expectOk(await alice.run(['ls', '-R', '/full']))).to.equal('made-by-bob\n\tmoved.bin\n')
      expectFailure(await bob.run(['mv', 'alice@example.com:full/made-by-bob', '/']), 56,
        /^Cannot move "made-by-bob" between your folders and those alice@example\.com shares with you: copy it, then delete it$/)
      expectOk(await bob.run(['rm', '-r', '-f', 'alice@example.com:full/made-by-bob']))
      expect(expectOk(await alice.run(['ls', '/full']))).to.equal('')
    })

    it('a read/write share takes new files but not deletions (56)', async function () {
      expectOk(await alice.run(['share', '-a', '--with=bob@example.com', '--level=1', '/rw']))
      expectOk(await bob.run(['put', files.notes, 'alice@example.com:rw']))
      expectFailure(await bob.run(['rm', 'alice@example.com:rw/notes.txt']), 56, /needs full access; alice@example\.com shares it with read\/write access$/)
      expect(expectOk(await alice.run(['ls', '/rw']))).to.equal('notes.txt\n')
      // More access later: the sharee may now delete.
      expect(expectOk(await alice.run(['share', '-a', '--with=bob@example.com', '--level=FULL', '/rw'])))
        .to.equal('New share: /rw, shared with bob@example.com (full access)\n')
      expectOk(await bob.run(['rm', 'alice@example.com:rw/notes.txt']))
      expect(expectOk(await alice.run(['ls', '/rw']))).to.equal('')
    })
  })

  describe('ending a share', function () {
    it('the sharee loses the folder: mount, paths and the server', async function () {
      const {'notes.txt': notes} = await alice.handles('/ro')
      expect(expectOk(await alice.run(['share', '-d', '--with=bob@example.com', '/ro']))).to.equal('Stopped sharing /ro with bob@example.com\n')
      expect(expectOk(await bob.run(['mount']))).to.not.include('alice@example.com:ro')
      expectFailure(await bob.run(['ls', 'alice@example.com:ro']), 53, /^Couldn't find "alice@example\.com:ro"$/)
      expect(await rawApi(server(), [{a: 'g', g: 1, n: notes}], {sid: bob.session().sid})).to.deep.equal([-9])
      expect(expectOk(await alice.run(['share', '/ro']))).to.equal('')
      // The owner still has its folder.
      expect(expectOk(await alice.run(['ls', '/ro']))).to.equal('inner\nnotes.txt\n')
    })

    it('share -d without --with stops every share of the folder; a sharee can leave a share by removing it', async function () {
      expect(expectOk(await alice.run(['share', '-d', '/full']))).to.equal('Stopped sharing /full with bob@example.com\n')
      expect(expectOk(await bob.run(['rm', '-r', '-f', 'alice@example.com:rw']))).to.equal('')
      expect(expectOk(await alice.run(['share', '/']))).to.equal('')
      expect(expectOk(await alice.run(['ls', '/']))).to.equal('full\nro\nrw\n')
      expect(serverShares(server())).to.deep.equal([])
    })
  })

  describe('a pending share to someone without an account', function () {
    it('becomes a share once they sign up and accept the invitation', async function () {
      expect(expectOk(await alice.run(['share', '-a', `--with=${NEWBIE.email}`, '/ro'])))
        .to.equal('New share: /ro, shared (still pending) with newbie@example.com (read access)\n')
      // Listed only with -p.
      expect(expectOk(await alice.run(['share', '/ro']))).to.equal('')
      expect(expectOk(await alice.run(['share', '-p', '/ro']))).to.equal('/ro, shared (still pending) with newbie@example.com (read access)\n')
      expect(serverShares(server())).to.have.length(1).and.to.deep.include({node: (await alice.handles('/')).ro, user: NEWBIE.email, access: 0, pending: true})

      const newbie = new MegaUser(server().url)
      expectOk(await newbie.run(['signup', NEWBIE.email, NEWBIE.password, '--name=New Bie']))
      const mails = JSON.parse(expectOk(await newbie.run(['local-server:outbox', NEWBIE.email, '--data', server().dataDir, '--json']))) as Array<{subject: string; link?: string}>
      // The invitation came first, when the folder was shared; then the confirmation link.
      expect(mails[0].subject).to.equal('alice@example.com has invited you to be their MEGA contact')
      const link = CONFIRM_LINK.exec(mails.find((m) => m.link)!.link!)![0]
      expectOk(await newbie.run(['confirm', link, NEWBIE.email, NEWBIE.password]))
      await newbie.login(NEWBIE.email, NEWBIE.password)
      expect(expectOk(await newbie.run(['mount']))).to.equal('ROOT on /\nINBOX on //in\nRUBBISH on //bin\n')
      expect(expectOk(await newbie.run(['ipc', ALICE.email, '-a']))).to.equal('Accepted invitation by alice@example.com\n')
      // The share exists now, but its key comes from its owner's client, at its next command.
      const waiting = await newbie.run(['mount'])
      expect(waiting.stdout).to.equal('ROOT on /\nINBOX on //in\nRUBBISH on //bin\nINSHARE on //from/alice@example.com:[undecryptable] (read access)\n')
      expect(waiting.stderr).to.match(/alice@example\.com has not sent its key/)
      expect(expectOk(await alice.run(['share', '/ro']))).to.equal('/ro, shared with newbie@example.com (read access)\n')
      expect(expectOk(await newbie.run(['mount']))).to.equal('ROOT on /\nINBOX on //in\nRUBBISH on //bin\nINSHARE on //from/alice@example.com:ro (read access)\n')
      const dest = tempDir('mega-shares-newbie-')
      expectOk(await newbie.run(['get', 'alice@example.com:ro/inner/photo.bin', dest]))
      expect(readFileSync(join(dest, 'photo.bin'))).to.deep.equal(content.photo)
    })

    it('a registered non-contact gets the key at once, when they accept', async function () {
      expect(expectOk(await alice.run(['share', '-a', `--with=${CAROL.email}`, '/ro'])))
        .to.equal('New share: /ro, shared (still pending) with carol@example.com (read access)\n')
      expect(expectOk(await carol.run(['mount']))).to.equal('ROOT on /\nINBOX on //in\nRUBBISH on //bin\n')
      expectOk(await carol.run(['ipc', ALICE.email, '-a']))
      expect(expectOk(await carol.run(['ls', 'alice@example.com:ro']))).to.equal('alice@example.com:ro/: \ninner\nnotes.txt\n')
    })
  })
})
