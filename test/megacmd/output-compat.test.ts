import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {printableLine} from '../../src/format/printable.js'
import {type CliResult, MegaUser, tempDir} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaCmd, requireMegaCmd} from '../helpers/megacmd.js'
import {expectSameOutput, megacmdErrors, ourErrors, withoutVerificationBoxes} from '../helpers/megacmd-compare.js'

/**
 * The original MEGAcmd 2.5.2 and mega-shell run the same commands on the same account, and print the same
 * stdout, exit code and error messages: scripts written for `mega-ls` (`awk '{print $4}'`) work unchanged.
 *
 * The data is made with our client before MEGAcmd logs in, so MEGAcmd reads it all from its first fetch and here
 * only reads (or fails without changing anything); its own mkdir and put, and others' changes reaching it through
 * the event channel, are tested in megacmd.test.ts.
 *
 * Differences on purpose, each said where it shows:
 * - names come from other users, so we print control characters as backslash escapes (src/format/printable.ts)
 *   where MEGAcmd prints them raw: every comparison expects MEGAcmd's output with those escaped, and one test
 *   shows a name that has them;
 * - our errors are one line each: MEGAcmd's usage line after some errors is not repeated;
 * - `users` has no "Contact [...] is not verified" box: we do not read the contact verification records;
 * - `ls` of several paths lists them all (MEGAcmd lists the first and ignores the others).
 */

const PASSWORD = 'pass w0rd'
const ALICE = 'alice@example.com'
const ODD_NAME = 'bell\x07esc\x1b[1m.txt'

describe('MEGAcmd 2.5.2 and mega-shell print the same (test/megacmd)', function () {
  let megacmd: MegaCmd | undefined
  // Defined before the local server's own hooks, so MEGAcmd's server stops while the API server still answers.
  after(async function () {
    await megacmd?.stop()
  })
  const server = localServerForSuite(['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => ({
    email: `${name}@example.com`, password: PASSWORD, name: `${name[0].toUpperCase()}${name.slice(1)} X`,
  })))
  let alice: MegaUser

  before(async function () {
    requireMegaCmd()
    alice = await loggedIn(server().url, ALICE)
    await buildFiles(alice)
    await buildContacts(server().url, alice)
    megacmd = new MegaCmd(server().url)
  })

  /** Runs `args` with MEGAcmd and with mega-shell (as alice) and expects the same stdout, exit code and errors. */
  function expectSame(args: string[]): Promise<CliResult> {
    return expectSameOutput(megacmd!, alice, args)
  }

  describe('logged out', function () {
    it('whoami, ls, cd, pwd, mkdir, rm, mv, users and showpcr say "Not logged in." (57)', async function () {
      const stranger = new MegaUser(server().url)
      for (const args of [['whoami'], ['ls'], ['ls', '/'], ['cd', '/docs'], ['pwd'], ['mkdir', '/x'], ['rm', '/x'], ['mv', '/a', '/b'], ['users'], ['showpcr']]) {
        const [theirs, ours] = await Promise.all([megacmd!.run(args), stranger.run(args)])
        expect(megacmdErrors(theirs.stderr), args.join(' ')).to.deep.equal(['Not logged in.'])
        expect(ourErrors(ours.stderr), args.join(' ')).to.deep.equal(['Not logged in.'])
        expect([ours.code, ours.stdout], args.join(' ')).to.deep.equal([57, ''])
        expect([theirs.code, theirs.stdout], args.join(' ')).to.deep.equal([57, ''])
      }
    })
  })

  describe('logged in', function () {
    before(async function () {
      expect((await megacmd!.run(['login', ALICE, PASSWORD])).code, 'MEGAcmd login').to.equal(0)
      expect((await megacmd!.run(['whoami'])).stdout, 'MEGAcmd could not log in').to.equal(`Account e-mail: ${ALICE}\n`)
    })

    it('whoami', async function () {
      await expectSame(['whoami'])
    })

    it('whoami -l: the same storage figures and session list, each client marking its own session', async function () {
      // Each client puts "* Current Session" above its own session, and a session's last activity moves with
      // every request: both are taken out before comparing (the "times normalised").
      const normalised = (stdout: string): string => stdout.split('\n').filter((line) => line.trim() !== '* Current Session')
        .map((line) => line.replace(/^( +Most recent activity: ).*$/, '$1<time>')).join('\n')
      const [theirs, ours] = await Promise.all([megacmd!.run(['whoami', '-l']), alice.run(['whoami', '-l'])])
      expect([theirs.code, ours.code], `MEGAcmd:\n${theirs.stderr}\nours:\n${ours.stderr}`).to.deep.equal([0, 0])
      expect(normalised(ours.stdout)).to.equal(normalised(theirs.stdout))
      expect(ours.stdout).to.match(/\d+ active sessions opened\n$/)
      const markedSession = (stdout: string): string => /\* Current Session\n +Session ID: (\S+)/.exec(stdout)?.[1] ?? 'none'
      expect(markedSession(ours.stdout), 'the session each marks').to.not.equal(markedSession(theirs.stdout))
    })

    it('pwd, and ls of the cwd: plain, -l, -R, -lR, -l -h, --show-handles', async function () {
      for (const args of [['pwd'], ['ls'], ['ls', '-l'], ['ls', '-R'], ['ls', '-r'], ['ls', '-lR'], ['ls', '-l', '-h'], ['ls', '-h'], ['ls', '--show-handles'], ['ls', '-l', '--show-handles']]) {
        await expectSame(args)
      }
    })

    it('ls lists folders first, then names in natural order, case and accents counted', async function () {
      const theirs = await expectSame(['ls', '/my-dir'])
      // The order of the SDK's ORDER_DEFAULT_ASC (src/tree/sibling-order.ts), seen from MEGAcmd itself.
      expect(theirs.stdout).to.equal(['/my-dir: ', 'sub', '_under.txt', '9.txt', '10.txt', 'a b.txt', 'a_b.txt', 'a-b.txt', 'b.TXT', 'B.txt',
        'Émile.txt', 'file1.txt', 'file2.txt', 'File2.txt', 'file10.txt', 'ümlaut.txt', 'x.txt', ''].join('\n'))
    })

    it('ls of a folder, a file, the root and the rubbish bin: names, and a file by its path when the argument has a "/"', async function () {
      for (const path of ['/', '.', 'docs', '/docs', 'docs/', '/docs/', './docs', 'docs/deep', '/docs/deep', 'docs/deep/..', '/docs/a.txt', 'docs/a.txt',
        '/alpha/x.txt', '/empty', '/big.bin', 'big.bin', '//bin', '//bin/', '//bin/t.txt', '//bin/trash', '//bin/trash/zero.bin']) {
        await expectSame(['ls', path])
        await expectSame(['ls', '-l', path])
      }
    })

    it('ls -R and -lR of a path: the listed folder titled relative to the cwd, deeper ones absolute', async function () {
      for (const path of ['/', '.', '/docs', 'docs', './docs', '/docs/deep', 'docs/deep', '/my-dir', '//bin']) {
        await expectSame(['ls', '-R', path])
        await expectSame(['ls', '-lR', path])
      }
    })

    it('ls of wildcards and of names MEGAcmd takes as patterns ("-", ".", a space): each folder under a "<path>: " title', async function () {
      for (const path of ['p*', '/p*', '/*/*.jpg', '/docs/*', 'docs/?.txt', '*', '/my-dir', 'my-dir', '/with space', 'with space', '/alpha/x.txt', '/docs/de?p',
        '//bin/*']) {
        await expectSame(['ls', path])
        await expectSame(['ls', '-l', path])
      }
      await expectSame(['ls', '-R', '/d*'])
      await expectSame(['ls', '-lR', '/*'])
      await expectSame(['ls', '-l', '-h', '/*'])
    })

    it('ls of paths that name nothing: "Couldn\'t find <path>", the path quoted when it is a pattern (53)', async function () {
      for (const path of ['nothere', '/nothere', '/docs/nothere', 'no*', '/no-such', '..', '/docs/a.txt/x', 'H:AAAAAAAA']) {
        await expectSame(['ls', path])
        await expectSame(['ls', '-l', path])
      }
    })

    it('ls --show-handles and ls H:<handle>: the same handles', async function () {
      const theirs = await expectSame(['ls', '--show-handles', '/docs'])
      await expectSame(['ls', '-l', '--show-handles', '/docs'])
      await expectSame(['ls', '-R', '--show-handles', '/'])
      await expectSame(['ls', '-lR', '--show-handles', '/'])
      const handles = [...theirs.stdout.matchAll(/<H:([\w-]{8})>/g)].map((match) => match[1])
      expect(handles).to.have.length(3)
      for (const handle of handles) {
        await expectSame(['ls', `H:${handle}`])
        await expectSame(['ls', '-l', `H:${handle}`])
      }
    })

    it('ls of several paths: we list each one under a title, as MEGAcmd lists the matches of a pattern', async function () {
      // MEGAcmd lists only its first path (megacmdexecuter.cpp "ls" reads words[1]) and ignores the others, so
      // a script would silently miss them. We list every path, titled and separated as MEGAcmd titles and
      // separates the folders a pattern matches; each listing itself is MEGAcmd's.
      const first = await megacmd!.run(['ls', '/docs'])
      expect((await megacmd!.run(['ls', '/docs', '/photos'])).stdout).to.equal(first.stdout)
      const lines = async (args: string[]) => expectOk(await megacmd!.run(args)).split('\n').slice(0, -1)
      const expected = ['/docs: ', ...await lines(['ls', '/docs']), '', ...await lines(['ls', '/photos/p1.jpg']), 'photos: ', ...await lines(['ls', 'photos']), '']
      expect(expectOk(await alice.run(['ls', '/docs', '/photos/p1.jpg', 'photos']))).to.equal(expected.join('\n'))
      const [header, ...docs] = await lines(['ls', '-l', '/docs'])
      const photos = (await lines(['ls', '-l', '/photos'])).slice(1)
      expect(expectOk(await alice.run(['ls', '-l', '/docs', '/photos']))).to.equal(['/docs: ', header, ...docs, '', '/photos: ', ...photos, ''].join('\n'))
      // A path that names nothing is reported; the others are listed.
      const some = await alice.run(['ls', '/nothere', '/photos', 'no*'])
      expect([some.code, some.stdout, some.stderr]).to.deep.equal([53, ['/photos: ', ...await lines(['ls', '/photos']), ''].join('\n'), 'Couldn\'t find /nothere\nCouldn\'t find "no*"\n'])
    })

    it('a name with control characters: MEGAcmd prints it raw, we escape it (one line, nothing sent to the terminal)', async function () {
      const [theirs, ours] = await Promise.all([megacmd!.run(['ls', '/odd']), alice.run(['ls', '/odd'])])
      expect(theirs.stdout).to.equal(`${ODD_NAME}\n`)
      expect(ours.stdout).to.equal('bell\\aesc\\e[1m.txt\n')
      await expectSame(['ls', '-l', '/odd'])
    })

    describe('in a folder below the root', function () {
      before(async function () {
        await expectSame(['cd', '/docs/deep'])
      })
      after(async function () {
        await expectSame(['cd'])
        await expectSame(['pwd'])
      })

      it('pwd, and ls of relative paths, "..", and paths outside the cwd (titled absolute)', async function () {
        await expectSame(['pwd'])
        for (const args of [[], ['.'], ['..'], ['../..'], ['./er'], ['c*'], ['../*'], ['../../p*']]) {
          for (const flags of [[], ['-l'], ['-R'], ['-lR']]) await expectSame(['ls', ...flags, ...args])
        }
        for (const path of ['../a.txt', '../b.bin', 'c.txt', '/docs/deep/c.txt', '/docs/a.txt', '../../photos/p1.jpg', '/photos/x.png']) {
          await expectSame(['ls', path])
          await expectSame(['ls', '-l', path])
        }
      })
    })

    describe('in the rubbish bin', function () {
      before(async function () {
        await expectSame(['cd', '//bin'])
      })
      after(async function () {
        await expectSame(['cd', '/'])
      })

      it('pwd, and ls of its files and folders', async function () {
        await expectSame(['pwd'])
        for (const args of [[], ['t.txt'], ['./t.txt'], ['trash'], ['*'], ['..']]) {
          for (const flags of [[], ['-l'], ['-lR']]) await expectSame(['ls', ...flags, ...args])
        }
      })
    })

    it('cd errors: a missing folder, a file, above the root (53); the cwd does not change', async function () {
      for (const path of ['/nothere', 'nothere', '/docs/a.txt', 'docs/a.txt', '..', '/docs/nothere/..']) {
        await expectSame(['cd', path])
        await expectSame(['pwd'])
      }
    })

    it('mkdir errors: an existing folder or file (54), a missing parent without -p (51)', async function () {
      for (const args of [['/docs'], ['docs'], ['/docs/a.txt'], ['-p', '/docs'], ['-p', '/docs/deep/er'], ['/docs/deep/er'], ['/docs', '/photos'],
        ['/no/such/dir'], ['no/such'], ['/nothere/x'], ['/docs/nothere/x'], ['/docs/']]) {
        await expectSame(['mkdir', ...args])
      }
    })

    it('rm errors: a missing path (53), a folder without -r (55), one failure after another', async function () {
      for (const args of [['/nothere'], ['nothere'], ['no*'], ['/docs'], ['docs'], ['/d*'], ['/docs', '/nothere'], ['/nothere', '/docs'], ['/docs', '/photos']]) {
        await expectSame(['rm', ...args])
      }
    })

    it('mv errors: missing source (53) or destination (53), a destination below a file (55), into itself (10)', async function () {
      // Not compared: a folder onto an existing file. MEGAcmd deletes the file and gives the folder its name; we
      // refuse ("<d>: Not a directory", 55) and delete nothing, as POSIX mv.
      for (const args of [['/nothere', '/docs'], ['/docs/a.txt', '/nothere/x'], ['/docs/a.txt', '/docs/b.bin/x'], ['/docs/a.txt', '/docs/b.bin/x/y'],
        ['/docs/a.txt', '/docs/a.txt'], ['/docs', '/docs/deep'], ['/docs', '/docs/deep/er/new'], ['/docs/*', '/docs/a.txt'],
        ['/docs/a.txt', '/docs/b.bin', '/nothere'], ['/docs/a.txt', '/docs/b.bin', '/photos/p1.jpg'], ['/nothere1', '/nothere2', '/docs']]) {
        await expectSame(['mv', ...args])
      }
      // Missing arguments: both exit 51 with a usage text (MEGAcmd's is its usage line alone).
      for (const args of [['mv'], ['mv', '/docs']]) {
        const [theirs, ours] = await Promise.all([megacmd!.run(args), alice.run(args)])
        expect([ours.code, ours.stdout]).to.deep.equal([theirs.code, theirs.stdout])
        expect(ours.stderr).to.match(/^Usage: mv /)
      }
    })

    it('users, users -n, users -h, --time-format: the same contact lines (MEGAcmd adds a "not verified" box)', async function () {
      for (const args of [[], ['-n'], ['-h'], ['-h', '-n'], ['-s'], ['--time-format=ISO6081_WITH_TIME'], ['-h', '--time-format=SHORT']]) {
        const [theirs, ours] = await Promise.all([megacmd!.run(['users', ...args]), alice.run(['users', ...args])])
        // MEGAcmd boxes "Contact [<name>] is not verified" under each contact whose credentials the account has not
        // verified (users, MegaApi::areCredentialsVerified). We do not read the verification records (the
        // account's ^!keys), so we cannot tell, and print no box rather than a wrong one.
        expect(theirs.stdout).to.include('Contact [')
        expect(ours.stdout, `users ${args.join(' ')}`).to.equal(printableLine(withoutVerificationBoxes(theirs.stdout)))
        expect(ours.code).to.equal(theirs.code)
        expect(ourErrors(ours.stderr)).to.deep.equal(megacmdErrors(theirs.stderr))
      }
      // bob is a contact, carol a removed one (Hidden, only with -h).
      expect(expectOk(await alice.run(['users', '-h']))).to.match(/^bob@example\.com\. Contact since .*\. Visible\ncarol@example\.com\. Contact since .*\. Hidden\n$/)
    })

    it('showpcr, --in, --out, --time-format', async function () {
      for (const args of [[], ['--in'], ['--out'], ['--time-format=ISO6081'], ['--in', '--time-format=SHORT']]) await expectSame(['showpcr', ...args])
      expect(expectOk(await alice.run(['showpcr']))).to.match(/^Outgoing PCRs:\n erin@example\.com .*\nIncoming PCRs:\n dave@example\.com .*\n\tInvitation message: hello alice\n$/)
    })
  })
})

async function loggedIn(url: string, email: string): Promise<MegaUser> {
  const user = new MegaUser(url)
  await user.login(email, PASSWORD)
  return user
}

/** The account's files and folders, made by our client: names chosen for MEGAcmd's order and its pattern rules. */
async function buildFiles(alice: MegaUser): Promise<void> {
  const local = tempDir('megacmd-compat-')
  const file = (name: string, size: number) => {
    writeFileSync(join(local, name), Buffer.alloc(size, 'x'))
    return join(local, name)
  }
  expectOk(await alice.run(['mkdir', '-p', '/docs/deep/er', '/photos', '/empty', '/my-dir/sub', '/with space', '/Zeta', '/alpha', '/odd']))
  expectOk(await alice.run(['put', file('a.txt', 6), file('b.bin', 5000), '/docs']))
  expectOk(await alice.run(['put', file('c.txt', 2), '/docs/deep']))
  expectOk(await alice.run(['put', file('big.bin', 3_000_000), '/']))
  expectOk(await alice.run(['put', file('p1.jpg', 6), file('p2.jpg', 7), file('x.png', 8), '/photos']))
  expectOk(await alice.run(['put', file('x.txt', 1), file('zero.bin', 0), '/alpha']))
  // The rubbish bin: a file and a folder (a path below //bin is titled "/bin/…" by MEGAcmd, see shown-path.ts).
  expectOk(await alice.run(['mkdir', '/trash']))
  expectOk(await alice.run(['put', file('zero.bin', 0), '/trash']))
  expectOk(await alice.run(['put', file('t.txt', 3), '/alpha']))
  expectOk(await alice.run(['mv', '/alpha/t.txt', '/trash', '//bin']))
  expectOk(await alice.run(['put', file(ODD_NAME, 1), '/odd']))
  const sorted = join(local, 'sorted')
  mkdirSync(sorted)
  const names = ['10.txt', '9.txt', 'B.txt', 'File2.txt', '_under.txt', 'a b.txt', 'a-b.txt', 'a_b.txt', 'b.TXT', 'file1.txt', 'file10.txt', 'file2.txt',
    'x.txt', 'Émile.txt', 'ümlaut.txt']
  for (const [i, name] of names.entries()) writeFileSync(join(sorted, name), Buffer.alloc(i + 1, 'y'))
  expectOk(await alice.run(['put', ...names.map((name) => join(sorted, name)), '/my-dir']))
}

/** bob a contact, carol a removed one, an invitation from dave (with a message) and one to erin. */
async function buildContacts(url: string, alice: MegaUser): Promise<void> {
  const [bob, carol, dave] = await Promise.all(['bob', 'carol', 'dave'].map((name) => loggedIn(url, `${name}@example.com`)))
  expectOk(await alice.run(['invite', 'bob@example.com']))
  expectOk(await bob.run(['ipc', ALICE, '-a']))
  expectOk(await carol.run(['invite', ALICE]))
  expectOk(await alice.run(['ipc', 'carol@example.com', '-a']))
  expectOk(await alice.run(['users', '-d', 'carol@example.com']))
  expectOk(await dave.run(['invite', ALICE, '--message=hello alice']))
  expectOk(await alice.run(['invite', 'erin@example.com', '--message=hi erin']))
}
