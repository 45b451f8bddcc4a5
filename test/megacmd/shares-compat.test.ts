import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {type CliResult, MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {localServerForSuite, serverFolderCount} from '../helpers/local-server.js'
import {MegaCmd, requireMegaCmd} from '../helpers/megacmd.js'
import {megacmdErrors, ourErrors, withoutVerificationBoxes} from '../helpers/megacmd-compare.js'

const PASSWORD = 'pass w0rd'
const ALICE = 'alice@example.com'
const BOB = 'bob@example.com'
const CAROL = 'carol@example.com'
/** How long MEGAcmd may take to see what another client changed (it arrives on its `wsc` long poll). */
const PROPAGATION_DEADLINE_MS = 60_000

/**
 * Shares between MEGAcmd 2.5.2 and mega-shell on the same accounts: what each prints for the same command, and
 * folders shared by one client opened by the other.
 *
 * What MEGAcmd (the SDK v10.8.2) needs for shares, and where the two clients meet:
 * - its account keeps its keys in `^!keys`, so it ignores the RSA copies of share keys (`sk`, `k`: readnode,
 *   sc_shares) and takes keys only from `pk`, under the X25519 key two users share (KeyManager::
 *   computeSymmetricKey). Our client sends that too, when both accounts have Cu25519 keys (made by the SDK at
 *   its first login), and reads keys from `pk` and from `^!keys` (account/peer-share-key.ts);
 * - "contact verification": it sends (KeyManager::promotePendingShares) and opens (decryptShareKeyFrom) a key
 *   only once the other's Ed25519 key is in its authring as seen, which it records when it fetches a contact's
 *   keys at login; MEGAcmd never turns on manual verification (setManualVerificationFlag), so nobody has to
 *   verify anyone, but each MEGAcmd must have logged in after the other account got its keys. The server only
 *   relays `pk` and stores `^!keys`.
 * Differences on purpose: MEGAcmd's "not verified" boxes under `users` are not printed (we keep no authring);
 * our errors are one line each.
 */
describe('MEGAcmd 2.5.2 and mega-shell share folders with each other (test/megacmd)', function () {
  this.timeout(600_000)
  const megacmd: Record<string, MegaCmd> = {}
  // Defined before the local server's own hooks, so MEGAcmd's servers stop while the API server still answers.
  after(async function () {
    for (const client of Object.values(megacmd)) await client.stop()
  })
  const server = localServerForSuite([ALICE, BOB, CAROL].map((email) => ({email, password: PASSWORD, name: `${email[0].toUpperCase()}${email.slice(1, email.indexOf('@'))} X`})))
  const ours: Record<string, MegaUser> = {}
  const local = tempDir('megacmd-shares-')
  const content = {a: randomBytes(3000), b: randomBytes(70_000)}

  before(async function () {
    requireMegaCmd()
    for (const email of [ALICE, BOB]) {
      ours[email] = new MegaUser(server().url)
      await ours[email].login(email, PASSWORD)
      megacmd[email] = new MegaCmd(server().url)
    }
    expectOk(await ours[ALICE].run(['invite', BOB]))
    expectOk(await ours[BOB].run(['ipc', ALICE, '-a']))
    // MEGAcmd's first logins give both accounts their Ed25519/Cu25519 keys; after a restart each has seen the
    // other's (its login fetches its contacts' keys).
    for (const email of [ALICE, BOB]) await megacmdLogin(email)
    for (const email of [ALICE, BOB]) await megacmd[email].stop()
    // The restarted server resumes the session in the background: whoami answers once it has.
    for (const email of [ALICE, BOB]) await waitFor(async () => (await megacmd[email].run(['whoami'])).stdout === `Account e-mail: ${email}\n`)

    writeFileSync(join(local, 'a.txt'), content.a)
    writeFileSync(join(local, 'b.bin'), content.b)
    expectOk(await ours[ALICE].run(['mkdir', '-p', '/docs', '/shared/inner', '/ro', '/to-carol']))
    expectOk(await ours[ALICE].run(['put', join(local, 'a.txt'), '/docs']))
    expectOk(await ours[ALICE].run(['put', join(local, 'b.bin'), '/shared/inner']))
    expectOk(await ours[ALICE].run(['put', join(local, 'a.txt'), '/ro']))
    expectOk(await ours[ALICE].run(['share', '-a', `--with=${BOB}`, '--level=1', '/shared']))
    expectOk(await ours[ALICE].run(['share', '-a', `--with=${BOB}`, '/ro']))
    expectOk(await ours[ALICE].run(['share', '-a', `--with=${CAROL}`, '/to-carol']))
  })

  async function megacmdLogin(email: string): Promise<void> {
    await megacmd[email].run(['login', email, PASSWORD])
    expect((await megacmd[email].run(['whoami'])).stdout, `MEGAcmd could not log in as ${email}`).to.equal(`Account e-mail: ${email}\n`)
  }

  /** Runs `args` with MEGAcmd and with mega-shell as `email`, until their stdout agree (changes reach MEGAcmd on its long poll). */
  async function expectSame(email: string, args: string[], shape: (stdout: string) => string = (stdout) => stdout, inOrder = (stdout: string) => stdout): Promise<CliResult> {
    const deadline = Date.now() + PROPAGATION_DEADLINE_MS
    for (;;) {
      const [theirs, mine] = await Promise.all([megacmd[email].run(args), ours[email].run(args)])
      const label = `${email}: "${args.join(' ')}"\nMEGAcmd:\n${theirs.stdout}${theirs.stderr}\nours:\n${mine.stdout}${mine.stderr}`
      if (inOrder(shape(theirs.stdout)) === inOrder(mine.stdout) || Date.now() > deadline) {
        expect(inOrder(mine.stdout), `stdout of ${label}`).to.equal(inOrder(shape(theirs.stdout)))
        expect(mine.code, `exit code of ${label}`).to.equal(theirs.code)
        expect(ourErrors(mine.stderr), `errors of ${label}`).to.deep.equal(megacmdErrors(theirs.stderr))
        return theirs
      }
    }
  }

  describe('the owner: folders mega-shell shared', function () {
    it('share, share -p and share <path> list the same shares', async function () {
      const theirs = await expectSame(ALICE, ['share', '-p', '/'])
      expect(theirs.stdout).to.equal([
        '/ro, shared with bob@example.com (read access)',
        '/shared, shared with bob@example.com (read/write access)',
        '/to-carol, shared (still pending) with carol@example.com (read access)', ''].join('\n'))
      for (const args of [['share'], ['share', '-p'], ['share', '/'], ['share', '/shared'], ['share', 'shared'], ['share', '-p', 'to-carol'], ['share', '/docs'],
        ['share', '/shared/inner']]) {
        await expectSame(ALICE, args)
      }
    })

    it('users -s: the folders shared with each contact (MEGAcmd adds a "not verified" box)', async function () {
      // The SDK lists a contact's shares in an order of its own (random handles here): the lines are compared sorted.
      const sortedShareLines = (stdout: string) => stdout.replace(/(?:^ {2}.*\n)+/gm, (block) => block.split('\n').filter(Boolean).sort().join('\n') + '\n')
      const theirs = await expectSame(ALICE, ['users', '-s'], withoutVerificationBoxes, sortedShareLines)
      expect(theirs.stdout).to.include('> Folders shared with bob@example.com:\n')
      expect(theirs.stdout).to.include('\n  ro, (read access)\n').and.to.include('\n  shared, (read/write access)\n')
      await expectSame(ALICE, ['mount'])
    })

    it('bad input: the same messages and exit codes, and nothing shared', async function () {
      for (const args of [
        ['share', '-a', `--with=${BOB}`, '--level=7', '/docs'], ['share', '-a', '/docs'], ['share', '--level=1', '/docs'], ['share', `--with=${BOB}`, '/docs'],
        ['share', '/nothere'], ['share', '-a', `--with=${BOB}`, '/nothere'], ['share', 'nobody@example.com'], ['share', '-a', `--with=${BOB}`, '/docs/a.txt'],
        ['share', '-a', '--with=bob', '/docs'], ['share', '-d', `--with=${BOB}`, '/docs'],
      ]) {
        await expectSame(ALICE, args)
      }
      await expectSame(ALICE, ['share', '-p', '/docs'])
    })
  })

  describe('the sharee: folders shared by mega-shell and by MEGAcmd', function () {
    before(async function () {
      // MEGAcmd shares a folder of alice's with bob: the key goes by `pk`, which our client reads.
      expect((await megacmd[ALICE].run(['mkdir', '/from-megacmd'])).code).to.equal(0)
      const shared = await megacmd[ALICE].run(['share', '-a', `--with=${BOB}`, '--level=2', '/from-megacmd'])
      expect(shared.stdout).to.equal('New share: /from-megacmd, shared with bob@example.com (full access)\n')
    })

    it('mount lists the same in-shares, each opened (its name known)', async function () {
      const theirs = await expectSame(BOB, ['mount'])
      expect(theirs.stdout).to.equal(['ROOT on /', 'INBOX on //in', 'RUBBISH on //bin',
        ...theirs.stdout.split('\n').filter((line) => line.startsWith('INSHARE')), ''].join('\n'))
      expect(theirs.stdout.split('\n').filter((line) => line.startsWith('INSHARE')).sort()).to.deep.equal([
        'INSHARE on //from/alice@example.com:from-megacmd (full access)',
        'INSHARE on //from/alice@example.com:ro (read access)',
        'INSHARE on //from/alice@example.com:shared (read/write access)',
      ])
    })

    it('ls and users -s of in-shares, by <email>:<folder> and //from/', async function () {
      for (const args of [['ls', 'alice@example.com:shared'], ['ls', '-R', 'alice@example.com:shared'], ['ls', 'alice@example.com:shared/inner'],
        ['ls', '//from/alice@example.com:ro'], ['ls', 'alice@example.com:from-megacmd'], ['ls', 'alice@example.com:nothere']]) {
        await expectSame(BOB, args)
      }
      await expectSame(BOB, ['users', '-s'], withoutVerificationBoxes)
    })

    it('each client downloads what the other shared, byte for byte', async function () {
      const dest = tempDir('megacmd-shares-get-')
      const got = await megacmd[BOB].run(['get', 'alice@example.com:shared/inner/b.bin', dest])
      expect(got.code, got.stdout + got.stderr).to.equal(0)
      expect(readFileSync(join(dest, 'b.bin'))).to.deep.equal(content.b)
      // What MEGAcmd, as bob, puts in alice's folder shared by MEGAcmd, our bob downloads; and the reverse.
      writeFileSync(join(local, 'from-megacmd.bin'), content.b)
      const put = await megacmd[BOB].run(['put', join(local, 'from-megacmd.bin'), 'alice@example.com:from-megacmd'])
      expect(put.code, put.stdout + put.stderr).to.equal(0)
      const ourDest = tempDir('megacmd-shares-ours-')
      await waitFor(async () => (await ours[BOB].run(['get', 'alice@example.com:from-megacmd/from-megacmd.bin', ourDest])).code === 0)
      expect(readFileSync(join(ourDest, 'from-megacmd.bin'))).to.deep.equal(content.b)
    })

    it('a write into a read-only share: MEGAcmd is refused by the server, we before sending (56)', async function () {
      const before = serverFolderCount(server())
      expect((await megacmd[BOB].run(['mkdir', 'alice@example.com:ro/new'])).code).to.not.equal(0)
      expect((await ours[BOB].run(['mkdir', 'alice@example.com:ro/new'])).code).to.equal(56)
      expect(serverFolderCount(server())).to.equal(before)
    })
  })
})

describe('MEGAcmd 2.5.2 and mega-shell send files to each other\'s inbox (cp <path> <email>:, test/megacmd)', function () {
  this.timeout(600_000)
  const megacmd: Record<string, MegaCmd> = {}
  after(async function () {
    for (const client of Object.values(megacmd)) await client.stop()
  })
  const server = localServerForSuite([ALICE, BOB, CAROL].map((email) => ({email, password: PASSWORD})))
  const ours: Record<string, MegaUser> = {}
  const local = tempDir('megacmd-inbox-')
  const content = {mine: randomBytes(5000), theirs: randomBytes(90_000)}

  before(async function () {
    requireMegaCmd()
    for (const email of [ALICE, BOB]) {
      ours[email] = new MegaUser(server().url)
      await ours[email].login(email, PASSWORD)
      megacmd[email] = new MegaCmd(server().url)
    }
    expectOk(await ours[ALICE].run(['invite', BOB]))
    expectOk(await ours[BOB].run(['ipc', ALICE, '-a']))
    for (const email of [ALICE, BOB]) {
      await megacmd[email].run(['login', email, PASSWORD])
      await waitFor(async () => (await megacmd[email].run(['whoami'])).stdout === `Account e-mail: ${email}\n`)
    }
    writeFileSync(join(local, 'mine.bin'), content.mine)
    writeFileSync(join(local, 'theirs.bin'), content.theirs)
    expectOk(await ours[ALICE].run(['put', join(local, 'mine.bin'), '/']))
    expectOk(await ours[ALICE].run(['put', join(local, 'theirs.bin'), '/']))
  })

  it('what mega-shell sends, MEGAcmd downloads from //in; what MEGAcmd sends, mega-shell downloads', async function () {
    expect(expectOk(await ours[ALICE].run(['cp', '/mine.bin', `${BOB}:`]))).to.equal('')
    const theirDest = tempDir('megacmd-inbox-theirs-')
    await waitFor(async () => (await megacmd[BOB].run(['get', '//in/mine.bin', theirDest])).code === 0)
    expect(readFileSync(join(theirDest, 'mine.bin'))).to.deep.equal(content.mine)

    await waitFor(async () => (await megacmd[ALICE].run(['ls', '/theirs.bin'])).code === 0)
    const sent = await megacmd[ALICE].run(['cp', '/theirs.bin', `${BOB}:`])
    expect(sent.code, sent.stdout + sent.stderr).to.equal(0)
    const ourDest = tempDir('megacmd-inbox-ours-')
    expectOk(await ours[BOB].run(['get', '//in/theirs.bin', ourDest]))
    expect(readFileSync(join(ourDest, 'theirs.bin'))).to.deep.equal(content.theirs)
  })

  it('the same messages and exit codes for an unknown user, a non-contact and a missing source', async function () {
    for (const args of [['cp', '/mine.bin', 'nobody@example.com:'], ['cp', '/mine.bin', `${CAROL}:`], ['cp', '/nothere', `${BOB}:`]]) {
      const [theirs, mine] = [await megacmd[ALICE].run(args), await ours[ALICE].run(args)]
      const label = `"${args.join(' ')}"\nMEGAcmd:\n${theirs.stdout}${theirs.stderr}\nours:\n${mine.stdout}${mine.stderr}`
      expect(mine.stdout, label).to.equal(theirs.stdout)
      expect(mine.code, label).to.equal(theirs.code)
      expect(ourErrors(mine.stderr), label).to.deep.equal(megacmdErrors(theirs.stderr))
    }
  })
})

async function waitFor(probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + PROPAGATION_DEADLINE_MS
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out')
  }
}
