import {expect} from 'chai'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaUser} from '../helpers/cli.js'
import {expectFailure, expectOk} from '../helpers/expectations.js'

const ALICE = {email: 'alice@example.com', password: 'alice secret', name: 'Alice Liddell'}
const BOB = {email: 'bob@example.com', password: 'bob secret', name: 'Bob Builder'}
const CAROL = {email: 'carol@example.com', password: 'carol secret', name: 'Carol C'}
const DAVE = {email: 'dave@example.com', password: 'dave secret'}

// RFC2822 as MEGAcmd prints it by default: "%a, %d %b %Y %T %z".
const RFC2822 = String.raw`[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}`
const ID = String.raw`[\w-]{11}`

/** A showpcr row: the email left-aligned in 22 columns, a tab, id and dates. */
function pcrRow(email: string, date = RFC2822): string {
  return ` ${email.padEnd(22).replace(/\./g, '\\.')}\\t \\(id: ${ID}, creation: ${date}, modification: ${date}\\)`
}

describe('contacts: invite, showpcr, ipc, users', function () {
  const server = localServerForSuite([ALICE, BOB, CAROL, DAVE])
  const users: Record<string, MegaUser> = {}
  let alice: MegaUser
  let bob: MegaUser
  let carol: MegaUser
  let dave: MegaUser

  before(async function () {
    for (const account of [ALICE, BOB, CAROL, DAVE]) {
      users[account.email] = new MegaUser(server().url)
      await users[account.email].login(account.email, account.password)
    }
    ;[alice, bob, carol, dave] = [ALICE, BOB, CAROL, DAVE].map((a) => users[a.email])
  })

  it('starts with no contacts and no requests (nothing printed)', async function () {
    expect(expectOk(await alice.run(['showpcr']))).to.equal('')
    expect(expectOk(await alice.run(['users']))).to.equal('')
    expect(expectOk(await alice.run(['users', '-s', '-n']))).to.equal('')
    expect(JSON.parse(expectOk(await alice.run(['showpcr', '--json'])))).to.deep.equal({outgoing: [], incoming: []})
  })

  it('refuses bad input with MEGAcmd exit codes and a one-line message', async function () {
    expectFailure(await alice.run(['invite', 'not-an-email']), 52, /^No valid email provided$/)
    expectFailure(await alice.run(['invite', 'bob@example']), 52, /^No valid email provided$/)
    expectFailure(await alice.run(['invite']), 51, /Usage: invite/)
    expectFailure(await alice.run(['invite', ALICE.email]), 2, /^Failed to \(re\)invite user: Invalid argument$/)
    expectFailure(await alice.run(['ipc', 'nobody@example.com', '-a']), 53, /^Could not find invitation nobody@example\.com$/)
    expectFailure(await alice.run(['ipc', 'AAAAAAAAAAA', '-d']), 53, /^Could not find invitation AAAAAAAAAAA$/)
    expectFailure(await alice.run(['ipc', 'nobody@example.com']), 51, /Usage: ipc/)
    expectFailure(await alice.run(['ipc', 'nobody@example.com', '-a', '-d']), 51)
    expectFailure(await alice.run(['users', '-d']), 51, /^Contact to delete not specified$/)
    expectFailure(await alice.run(['users', '-d', BOB.email]), 53, /Contact not found: bob@example\.com/)
    expectFailure(await alice.run(['invite', '-d', BOB.email]), 9, /^Failed to remove invitation: Not found$/)
  })

  it('alice invites bob; bob sees it through catch-up, without logging in again', async function () {
    const json = JSON.parse(expectOk(await alice.run(['invite', BOB.email, '--message=Hi Bob, shall we?', '--json'])))
    expect(json.request).to.include({email: BOB.email, outgoing: true, msg: 'Hi Bob, shall we?'})
    expect(json.request.handle).to.match(new RegExp(`^${ID}$`))
    expect(expectOk(await alice.run(['showpcr', '--out']))).to.match(new RegExp(`^Outgoing PCRs:\n${pcrRow(BOB.email)}\n$`))
    expect(expectOk(await alice.run(['showpcr', '--in']))).to.equal('')
    // bob logged in before the invitation: the `ipc` action packet brings it.
    const incoming = expectOk(await bob.run(['showpcr']))
    expect(incoming).to.match(new RegExp(`^Incoming PCRs:\n${pcrRow(ALICE.email)}\n\tInvitation message: Hi Bob, shall we\\?\n$`))
    expect(incoming).to.include(`(id: ${json.request.handle},`)
    const iso = expectOk(await bob.run(['showpcr', '--in', '--time-format=ISO6081']))
    expect(iso).to.match(new RegExp(`^Incoming PCRs:\n${pcrRow(ALICE.email, String.raw`\d{4}-\d{2}-\d{2}`)}\n`))
    const custom = expectOk(await bob.run(['showpcr', '--in', '--time-format=%Y/%m/%d']))
    expect(custom).to.match(/creation: \d{4}\/\d{2}\/\d{2}, modification/)
  })

  it('refuses a second invitation (12) and a reminder before 15 days (11)', async function () {
    expectFailure(await alice.run(['invite', BOB.email]), 12, /^Failed to \(re\)invite user: Already exists$/)
    expectFailure(await alice.run(['invite', '-r', BOB.email]), 11, new RegExp(`^Reminder not yet available:  available after 15 days \\(${RFC2822}\\)$`))
  })

  it('bob accepts: both list each other as contacts, and -n shows the names', async function () {
    expect(expectOk(await bob.run(['ipc', ALICE.email, '-a']))).to.equal(`Accepted invitation by ${ALICE.email}\n`)
    expect(expectOk(await bob.run(['showpcr']))).to.equal('')
    expect(expectOk(await alice.run(['showpcr']))).to.equal('')
    expect(expectOk(await alice.run(['users']))).to.match(new RegExp(`^bob@example\\.com\\. Contact since ${RFC2822}\\. Visible\n$`))
    expect(expectOk(await bob.run(['users']))).to.match(new RegExp(`^alice@example\\.com\\. Contact since ${RFC2822}\\. Visible\n$`))
    expect(expectOk(await alice.run(['users', '-n']))).to.match(new RegExp(`^\\[Bob Builder\\] bob@example\\.com\\. Contact since ${RFC2822}\\. Visible\n$`))
    expect(expectOk(await bob.run(['users', '-n', '--time-format=ISO6081']))).to.match(/^\[Alice Liddell\] alice@example\.com\. Contact since \d{4}-\d{2}-\d{2}\. Visible\n$/)
    const json = JSON.parse(expectOk(await alice.run(['users', '-n', '--json'])))
    expect(json.contacts).to.have.length(1)
    expect(json.contacts[0]).to.include({email: BOB.email, visibility: 'Visible', name: 'Bob Builder'})
    // Inviting an existing contact is refused.
    expectFailure(await alice.run(['invite', BOB.email]), 12, /Already exists/)
  })

  it('carol invites bob and bob rejects it by id; carol no longer sees it', async function () {
    expect(expectOk(await carol.run(['invite', BOB.email]))).to.equal(`Invitation to user: ${BOB.email} sent\n`)
    const {incoming} = JSON.parse(expectOk(await bob.run(['showpcr', '--in', '--json'])))
    expect(incoming).to.have.length(1)
    expect(incoming[0]).to.include({email: CAROL.email, outgoing: false})
    // Without a message there is no "Invitation message" line.
    expect(expectOk(await bob.run(['showpcr', '--in']))).to.match(new RegExp(`^Incoming PCRs:\n${pcrRow(CAROL.email)}\n$`))
    // An id is a random base64 handle and may start with '-': after '--' it cannot be read as a flag.
    expect(expectOk(await bob.run(['ipc', '-d', '--', incoming[0].handle]))).to.equal(`Rejected invitation by ${CAROL.email}\n`)
    expect(expectOk(await bob.run(['showpcr']))).to.equal('')
    expect(expectOk(await carol.run(['showpcr']))).to.equal('')
    expect(expectOk(await carol.run(['users']))).to.equal('')
  })

  it('dave invites bob and bob ignores it: gone for bob, still pending for dave', async function () {
    expectOk(await dave.run(['invite', BOB.email]))
    expect(expectOk(await bob.run(['ipc', DAVE.email, '-i']))).to.equal(`Ignored invitation by ${DAVE.email}\n`)
    expect(expectOk(await bob.run(['showpcr']))).to.equal('')
    expectFailure(await bob.run(['ipc', DAVE.email, '-a']), 53, /Could not find invitation dave@example\.com/)
    expect(expectOk(await dave.run(['showpcr']))).to.match(new RegExp(`^Outgoing PCRs:\n${pcrRow(BOB.email)}\n$`))
  })

  it('invite -d cancels an invitation on both sides', async function () {
    expect(expectOk(await dave.run(['invite', '-d', BOB.email]))).to.equal(`Invitation to user: ${BOB.email} removed\n`)
    expect(expectOk(await dave.run(['showpcr']))).to.equal('')
    // A cancelled invitation also leaves the invitee's list (an `ipc` packet with `dts`).
    expectOk(await carol.run(['invite', BOB.email, '--message=second try']))
    expect(expectOk(await bob.run(['showpcr', '--in']))).to.include(CAROL.email)
    expectOk(await carol.run(['invite', '-d', BOB.email]))
    expect(expectOk(await bob.run(['showpcr', '--in']))).to.equal('')
    expect(expectOk(await carol.run(['showpcr']))).to.equal('')
  })

  it('users -d removes the contact on both sides', async function () {
    expect(expectOk(await alice.run(['users', '-d', BOB.email]))).to.equal(`Contact ${BOB.email} removed successfully\n`)
    expect(expectOk(await alice.run(['users']))).to.equal('')
    expect(expectOk(await bob.run(['users']))).to.equal('')
    // -h also lists former contacts, as hidden.
    expect(expectOk(await bob.run(['users', '-h']))).to.match(new RegExp(`^alice@example\\.com\\. Contact since ${RFC2822}\\. Hidden\n$`))
    expectFailure(await alice.run(['users', '-d', BOB.email]), 53, /Contact not found/)
  })

  it('contact commands need a login: without one they exit 57', async function () {
    const stranger = new MegaUser(server().url)
    expectFailure(await stranger.run(['invite', BOB.email]), 57, /Not logged in/)
    expectFailure(await stranger.run(['showpcr']), 57, /Not logged in/)
    expectFailure(await stranger.run(['users']), 57, /Not logged in/)
    expectFailure(await stranger.run(['ipc', BOB.email, '-a']), 57, /Not logged in/)
  })
})
