import {expect} from 'chai'
import {currentStep, totpCode} from '../../plugins/local-server/dist/index.js'
import {b64decode, b64encode} from '../../src/crypto/base64.js'
import {encryptTlv} from '../../src/crypto/tlv.js'
import {addUser, localServerForSuite, rawApi} from '../helpers/local-server.js'
import {MegaUser} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'

const LINK = /https:\/\/mega\.nz\/#confirm[A-Za-z0-9_-]+/
const TOTP_SECRET = 'JBSWY3DPEHPK3PXP'

/** The master key and sid inside a `mega session` string (b64(masterKey ‖ sid)). */
async function sessionOf(user: MegaUser): Promise<{masterKey: Buffer; sid: string}> {
  const text = expectOk(await user.run(['session'])).trim().split(' ').pop()!
  const raw = b64decode(text)
  return {masterKey: raw.subarray(0, 16), sid: b64encode(raw.subarray(16))}
}

describe('accounts: signup, confirm, passwords, attributes, sessions', function () {
  const server = localServerForSuite([
    {email: 'alice@example.com', password: 'alice one', name: 'Alice Liddell'},
    {email: 'bob@example.com', password: 'bob secret', name: 'Bob Builder'},
    {email: 'attr@example.com', password: 'attr secret', name: 'Atty Bute'},
  ])
  const outbox = async (user: MegaUser, email: string): Promise<string[]> => {
    const mails = JSON.parse(expectOk(await user.run(['local-server:outbox', email, '--data', server().dataDir, '--json']))) as Array<{body: string; link?: string}>
    return mails.map((m) => (m.link ?? m.body).match(LINK)?.[0] ?? '')
  }

  describe('signup and confirm', function () {
    const EMAIL = 'newbie@example.com'
    let user: MegaUser
    let link: string

    before(function () {
      user = new MegaUser(server().url)
    })

    it('signs up with MEGAcmd output and mails a confirmation link', async function () {
      const out = expectOk(await user.run(['signup', EMAIL, 'newbie pass', '--name=New Bie']))
      expect(out).to.equal('Signing up. name=New. surname=Bie\n'
        + `Account <${EMAIL}> created successfully. You will receive a confirmation link. Use "confirm" with the provided link to confirm that account\n`)
      const links = await outbox(user, EMAIL)
      expect(links).to.have.length(1)
      link = links[0]
      expect(link).to.match(LINK)
      // The ephemeral session left nothing behind: this home is still logged out.
      expectFailure(await user.run(['whoami']), 57)
    })

    it('an unconfirmed account cannot log in (13)', async function () {
      expectFailure(await user.run(['login', EMAIL, 'newbie pass']), 13, /^Login failed: unconfirmed account. Please confirm your account$/)
    })

    it('rejects a malformed link (2), a link of another email (52) and a wrong password (9) without confirming', async function () {
      expectFailure(await user.run(['confirm', 'https://mega.nz/#confirmAAAA', EMAIL, 'newbie pass']), 2, /^Failed to check email corresponds to link: Invalid argument$/)
      expectFailure(await user.run(['confirm', 'not a link', EMAIL, 'newbie pass']), 2, /^Failed to check email corresponds to link/)
      expectFailure(await user.run(['confirm', link, 'other@example.com', 'newbie pass']), 52,
        new RegExp(`^other@example\\.com doesn't correspond to the confirmation link: ${link}$`))
      expectFailure(await user.run(['confirm', link, EMAIL, 'wrong pass']), 9, /^Invalid password$/)
      expectFailure(await user.run(['login', EMAIL, 'newbie pass']), 13, /unconfirmed account/)
    })

    it('without a password and no terminal, confirm fails fast (51)', async function () {
      expectFailure(await user.run(['confirm', link, EMAIL], {timeoutMs: 20000}), 51, /non-interactive/)
    })

    it('confirms (the https://mega.nz/confirm… form too), then refuses a second confirmation (54)', async function () {
      const plain = link.replace('/#confirm', '/confirm')
      expect(expectOk(await user.run(['confirm', plain, EMAIL, 'newbie pass']))).to.equal(`Account ${EMAIL} confirmed successfully. You can login with it now\n`)
      expectFailure(await user.run(['confirm', link, EMAIL, 'newbie pass']), 54, new RegExp(`^Account ${EMAIL} is already confirmed$`))
    })

    it('the first login creates the RSA key pair; later logins use it; the names are set', async function () {
      expectOk(await user.run(['login', EMAIL, 'newbie pass']))
      expect(expectOk(await user.run(['whoami']))).to.equal(`Account e-mail: ${EMAIL}\n`)
      expectOk(await user.run(['mkdir', '/first']))
      expect(expectOk(await user.run(['ls', '/']))).to.equal('first\n')
      expect(expectOk(await user.run(['userattr', 'firstname']))).to.equal('\tFIRSTNAME (firstname) = New\n')
      expect(expectOk(await user.run(['userattr', 'lastname']))).to.equal('\tLASTNAME (lastname) = Bie\n')
      // A second login goes through the stored key pair (csid) and sees the same files.
      const again = new MegaUser(server().url)
      await again.login(EMAIL, 'newbie pass')
      expect(expectOk(await again.run(['ls', '/']))).to.equal('first\n')
      const {pubk} = (await rawApi(server(), [{a: 'uk', u: EMAIL}], {sid: (await sessionOf(again)).sid}) as Array<{pubk?: string}>)[0]
      expect(pubk, 'public key stored').to.be.a('string').and.not.equal('')
    })

    it('signing up while logged in is refused (54)', async function () {
      expectFailure(await user.run(['signup', 'else@example.com', 'x y']), 54, /^Please logout first$/)
    })
  })

  describe('signup errors', function () {
    it('an email that already has an account: Failed to create account (12)', async function () {
      const user = new MegaUser(server().url)
      const result = await user.run(['signup', 'alice@example.com', 'another pass', '--name=Al Ice'])
      expectFailure(result, 12, /^Failed to create account <alice@example\.com>: Already exists$/)
      expect(result.stdout).to.equal('Signing up. name=Al. surname=Ice\n')
    })

    it('a malformed email (52), a name without surname (54), a missing email (51)', async function () {
      const user = new MegaUser(server().url)
      for (const email of ['not-an-email', 'a@b', '@example.com', 'x@.com']) {
        const result = await user.run(['signup', email, 'some pass'])
        expectFailure(result, 52, /valid email/)
        expect(result.stdout).to.equal('')
      }
      expectFailure(await user.run(['signup', 'solo@example.com', 'some pass', '--name=Solo']), 54, /^Please provide a valid name \(with name and surname separated by " "\)$/)
      expectFailure(await user.run(['signup']), 51)
    })

    it('the default name is the email with "@" replaced by a space', async function () {
      const user = new MegaUser(server().url)
      expect(expectOk(await user.run(['signup', 'dflt@example.com', 'some pass']))).to.match(/^Signing up\. name=dflt\. surname=example\.com\n/)
    })

    it('without a password and no terminal, signup fails fast (51)', async function () {
      const user = new MegaUser(server().url)
      expectFailure(await user.run(['signup', 'late@example.com'], {timeoutMs: 20000}), 51, /non-interactive/)
      expect(await outbox(user, 'late@example.com')).to.deep.equal([])
    })
  })

  describe('passwd', function () {
    let user: MegaUser

    before(async function () {
      user = new MegaUser(server().url)
      await user.login('alice@example.com', 'alice one')
    })

    it('a wrong old password changes nothing (9)', async function () {
      expectFailure(await user.run(['passwd', 'not it', 'alice two']), 9, /^Password unchanged: the old password is wrong$/)
      await new MegaUser(server().url).login('alice@example.com', 'alice one')
    })

    it('old + new: the old password stops working, the new one works, this session stays', async function () {
      expect(expectOk(await user.run(['passwd', 'alice one', 'alice two']))).to.equal('Password changed successfully\n')
      expectFailure(await new MegaUser(server().url).run(['login', 'alice@example.com', 'alice one']), 9, /invalid email or password/)
      await new MegaUser(server().url).login('alice@example.com', 'alice two')
      expect(expectOk(await user.run(['whoami']))).to.equal('Account e-mail: alice@example.com\n')
    })

    it('new password only (MEGAcmd form), -f accepted', async function () {
      expect(expectOk(await user.run(['passwd', '-f', 'alice three']))).to.equal('Password changed successfully\n')
      await new MegaUser(server().url).login('alice@example.com', 'alice three')
    })

    it('without arguments and no terminal it fails fast (51); logged out it is 57', async function () {
      expectFailure(await user.run(['passwd'], {timeoutMs: 20000}), 51, /non-interactive/)
      expectFailure(await new MegaUser(server().url).run(['passwd', 'x']), 57)
    })

    it('a two-factor account needs --auth-code: missing (26), wrong (5), right', async function () {
      await addUser(server(), 'mfa@example.com', 'mfa one', {totpSecret: TOTP_SECRET})
      const mfa = new MegaUser(server().url)
      const step = currentStep()
      expectOk(await mfa.run(['login', 'mfa@example.com', 'mfa one', `--auth-code=${totpCode(TOTP_SECRET, step)}`]))
      expectFailure(await mfa.run(['passwd', 'mfa one', 'mfa two']), 26, /^Password unchanged: a two-factor authentication code is required/)
      expectFailure(await mfa.run(['passwd', 'mfa one', 'mfa two', `--auth-code=${totpCode(TOTP_SECRET, step + 10)}`]), 5, /^Password unchanged: invalid authentication code$/)
      // Nothing changed: the old password still passes (the login stops at the 2FA code), the new one does not.
      const other = new MegaUser(server().url)
      expectFailure(await other.run(['login', 'mfa@example.com', 'mfa two']), 9)
      expectFailure(await other.run(['login', 'mfa@example.com', 'mfa one']), 26)
      expect(expectOk(await mfa.run(['passwd', 'mfa one', 'mfa two', `--auth-code=${totpCode(TOTP_SECRET, step + 1)}`]))).to.equal('Password changed successfully\n')
      expectFailure(await other.run(['login', 'mfa@example.com', 'mfa one']), 9)
      expectFailure(await other.run(['login', 'mfa@example.com', 'mfa two']), 26)
    })
  })

  describe('masterkey and userattr', function () {
    let user: MegaUser

    before(async function () {
      user = new MegaUser(server().url)
      await user.login('attr@example.com', 'attr secret')
    })

    it('masterkey prints the key inside the session string and records the export in ^!prd', async function () {
      const {masterKey} = await sessionOf(user)
      expect(expectOk(await user.run(['masterkey']))).to.equal(`${b64encode(masterKey)}\n`)
      expect(expectOk(await user.run(['userattr', '^!prd']))).to.equal('\tPWD_REMINDER (^!prd) = 0:0:1:0:0\n')
      // Other fields are kept.
      await rawApi(server(), [{a: 'up2', '^!prd': b64encode(Buffer.from('1700000000:0:0:1:1700000001'))}], {sid: (await sessionOf(user)).sid})
      expectOk(await user.run(['masterkey', '/ignored/path']))
      expect(expectOk(await user.run(['userattr', '^!prd']))).to.equal('\tPWD_REMINDER (^!prd) = 1700000000:0:1:1:1700000001\n')
      expect(JSON.parse(expectOk(await user.run(['masterkey', '--json'])))).to.deep.equal({masterKey: b64encode(masterKey)})
      // Bad input: too many arguments (51); nobody logged in (57) prints no key.
      expectFailure(await user.run(['masterkey', 'a', 'b']), 51)
      const stranger = new MegaUser(server().url)
      const loggedOut = await stranger.run(['masterkey'])
      expectFailure(loggedOut, 57, /Not logged in/)
      expect(loggedOut.stdout).to.equal('')
    })

    it('sets and reads attributes with MEGAcmd lines', async function () {
      expect(expectOk(await user.run(['userattr', '-s', 'firstname', 'Attila']))).to.equal('User attribute firstname updated correctly\n\tFIRSTNAME (firstname) = Attila\n')
      expect(expectOk(await user.run(['userattr', '-s', '^!lang', 'es_ES']))).to.equal('User attribute ^!lang updated correctly\n\tLANGUAGE (^!lang) = es_ES\n')
      expect(expectOk(await user.run(['userattr', 'firstname']))).to.equal('\tFIRSTNAME (firstname) = Attila\n')
      const all = expectOk(await user.run(['userattr']))
      expect(all).to.include('\tFIRSTNAME (firstname) = Attila\n').and.include('\tLANGUAGE (^!lang) = es_ES\n')
      const json = JSON.parse(expectOk(await user.run(['userattr', 'lastname', '--json'])))
      expect(json.attributes).to.deep.equal([{name: 'lastname', longName: 'LASTNAME', value: 'Bute'}])
    })

    it('--list names the 28 attributes MEGAcmd lists', async function () {
      const lines = expectOk(await user.run(['userattr', '--list'])).trimEnd().split('\n')
      expect(lines).to.have.length(28)
      expect(lines[0]).to.equal('AVATAR (+a)')
      expect(lines[1]).to.equal('FIRSTNAME (firstname)')
      expect(lines[27]).to.equal('ALIAS (*!>alias)')
    })

    it('decrypts * attributes with the master key, else NOT PRINTABLE', async function () {
      const {masterKey, sid} = await sessionOf(user)
      const rp = encryptTlv(masterKey, {num: Buffer.from('1')})
      const geo = encryptTlv(Buffer.alloc(16, 7), {v: Buffer.from('x')})
      await rawApi(server(), [{a: 'up2', '*!rp': b64encode(rp)}, {a: 'up2', '*!geo': b64encode(geo)}], {sid})
      expect(expectOk(await user.run(['userattr', '*!rp']))).to.equal('\tRICH_PREVIEWS (*!rp) = {"num":"1"}\n')
      expect(expectOk(await user.run(['userattr', '*!geo']))).to.equal('\tGEOLOCATION (*!geo) = NOT PRINTABLE\n')
    })

    it('bad input: unknown attribute (53), -s with --user (51), unset attribute (9), read-only attribute (11)', async function () {
      expectFailure(await user.run(['userattr', 'bogus']), 53, /^Attribute not found: bogus$/)
      expectFailure(await user.run(['userattr', '-s', 'bogus', 'x']), 53, /^Attribute not found: bogus$/)
      expectFailure(await user.run(['userattr', '-s', 'firstname', 'x', '--user=alice@example.com']), 51, /Can't change other user attributes/)
      expectFailure(await user.run(['userattr', 'country']), 9, /^Failed to get user attribute country: Not found$/)
      expectFailure(await user.run(['userattr', '-s', '+puEd255', 'x']), 11, /^Failed to set user attribute \+puEd255: Access denied$/)
      // Another user's private attribute.
      expectFailure(await user.run(['userattr', '^!lang', '--user=alice@example.com']), 11, /^Failed to get user attribute \^!lang: Access denied$/)
      expectFailure(await new MegaUser(server().url).run(['userattr', 'firstname']), 57)
    })
  })

  describe('whoami -l and killsession', function () {
    let first: MegaUser
    let second: MegaUser

    before(async function () {
      first = new MegaUser(server().url)
      second = new MegaUser(server().url)
      await first.login('bob@example.com', 'bob secret')
      await second.login('bob@example.com', 'bob secret')
    })

    it('whoami -l shows storage and both sessions, the current one marked', async function () {
      const out = expectOk(await first.run(['whoami', '-l']))
      const lines = out.trimEnd().split('\n')
      expect(lines[0]).to.equal('Account e-mail: bob@example.com')
      expect(lines[1]).to.match(/^ {4}Available storage: +[\d.]+ [KMGT]?Bytes$/)
      // sizeToText(0) with MEGAcmd's equalized units is "0.00   B" (megacmdcommonutils.cpp), then "ytes".
      expect(lines[2]).to.match(/^ {8}In ROOT: {7}0\.00 {3}Bytes in +0 file\(s\) and +0 folder\(s\)$/)
      expect(out).to.include('        In RUBBISH:   ').and.include('    Pro level: 0\n').and.include('Current Active Sessions:\n')
      expect(out).to.match(/\n2 active sessions opened\n$/)
      expect(out.match(/ {4}\* Current Session\n/g)).to.have.length(1)
      expect(out.match(/ {4}Session ID: [\w-]+\n {4}Session start: .+\n {4}Most recent activity: .+\n {4}IP: .*\n {4}Country: .*\n {4}User-Agent: .*\n {4}-----\n/g)).to.have.length(2)
      const json = JSON.parse(expectOk(await first.run(['whoami', '-l', '--json'])))
      expect(json.email).to.equal('bob@example.com')
      expect(json.sessions).to.have.length(2)
      expect(json.quota.storageMax).to.be.above(0)
    })

    it('killsession of the other session: its next command fails with one line and exit 57', async function () {
      const json = JSON.parse(expectOk(await first.run(['whoami', '-l', '--json']))) as {sessions: Array<{id: string; current: boolean}>}
      const other = json.sessions.find((s) => !s.current)!.id
      expect(expectOk(await first.run(['killsession', other]))).to.equal(`Session ${other} killed successfully\n`)
      expectFailure(await second.run(['ls']), 57, /session/i)
      expect(expectOk(await first.run(['whoami', '-l']))).to.match(/\n1 active sessions opened\n$/)
      expectOk(await first.run(['ls']))
    })

    it('an unknown session id fails (9); no id is a usage error (51)', async function () {
      expectFailure(await first.run(['killsession', 'AAAAAAAAAAA']), 9, /^Failed to kill session AAAAAAAAAAA\. Maybe the session was not valid\.: Not found$/)
      // One session id in 64 starts with '-': it is still an id, not flags (found by a flaky full-suite run).
      for (const dashed of ['-gmNdJgwUd4', '-vAAAAAAAAA', '-aAAAAAAAAA']) {
        expectFailure(await first.run(['killsession', dashed]), 9, new RegExp(`^Failed to kill session ${dashed}\\. Maybe`))
      }
      expectFailure(await first.run(['killsession']), 51)
      expectFailure(await first.run(['killsession', '-a', 'AAAAAAAAAAA']), 51)
    })

    it('killsession -a kills every other session', async function () {
      const third = new MegaUser(server().url)
      await third.login('bob@example.com', 'bob secret')
      expect(expectOk(await first.run(['killsession', '-a']))).to.equal('All sessions killed successfully\n')
      expectFailure(await third.run(['ls']), 57)
      expect(expectOk(await first.run(['whoami', '-l']))).to.match(/\n1 active sessions opened\n$/)
    })
  })
})
