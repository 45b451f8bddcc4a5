import {expect} from 'chai'
import {MegaUser, runProcess} from '../helpers/cli.js'
import {expectOk} from '../helpers/expectations.js'
import {localServerForSuite} from '../helpers/local-server.js'
import {MegaCmd, requireMegaCmd} from '../helpers/megacmd.js'

/**
 * The settings and misc commands against the original MEGAcmd 2.5.2: `errorcode` prints MEGAcmd's texts for every
 * code it or the SDK defines, and `https` the same lines. No account is needed.
 *
 * Differences on purpose: `errorcode abc` fails with 51 ("Invalid error code", MEGAcmd's own message) where
 * MEGAcmd's stream parser reads it as 0 and prints "Everything OK"; `errorcode -9` is the code -9 where MEGAcmd's
 * parser takes it for a flag (51).
 */
describe('MEGAcmd 2.5.2 and mega-shell: settings and misc commands (test/megacmd)', function () {
  let megacmd: MegaCmd | undefined
  after(async function () {
    await megacmd?.stop()
  })
  const server = localServerForSuite([])
  let user: MegaUser

  before(function () {
    requireMegaCmd()
    megacmd = new MegaCmd(server().url)
    user = new MegaUser(server().url)
  })

  after(async function () {
    if (user?.serverPids().length) await user.stopServer()
  })

  it('errorcode: the same text for every MEGAcmd and SDK code', async function () {
    const codes = [...Array.from({length: 71}, (_, i) => i), 1000, 1001, 1002, 1003, 1004]
    const theirs: string[] = []
    for (const code of codes) theirs.push(expectOk(await megacmd!.run(['errorcode', String(code)])).trimEnd())
    const script = `for code in ${codes.join(' ')}; do "${user.clientLink('errorcode')}" "$code" || exit; done`
    const ours = expectOk(await runProcess('/bin/sh', ['-c', script], user.env())).trimEnd().split('\n')
    expect(ours).to.deep.equal(theirs)
  })

  it('https: the same lines shown, set on and set off', async function () {
    for (const args of [['https'], ['https', 'on'], ['https'], ['https', 'off'], ['https']]) {
      const [theirs, ours] = [await megacmd!.run(args), await user.runClient(args[0], args.slice(1))]
      expect({code: ours.code, stdout: ours.stdout}, args.join(' ')).to.deep.equal({code: theirs.code, stdout: theirs.stdout})
    }
  })
})
