import {expect} from 'chai'
import {localServerForSuite} from '../helpers/local-server.js'
import {MEGA_BIN, MegaUser} from '../helpers/cli.js'
import {runInPty} from '../helpers/pty.js'

describe('prompts on a terminal', function () {
  const server = localServerForSuite([{email: 'carol@example.com', password: 'secret one'}])

  it('login asks for the email and the password on a TTY, hiding the password', async function () {
    const user = new MegaUser(server().url)
    const result = await runInPty([process.execPath, MEGA_BIN, 'login'], user.env(), [
      {prompt: /Email/, input: 'carol@example.com\r'},
      {prompt: /Password/, input: 'secret one\r'},
    ])
    expect(result.code, result.output).to.equal(0)
    expect(result.output).to.not.include('secret one')
    expect((await user.run(['whoami'])).stdout).to.equal('Account e-mail: carol@example.com\n')
  })

  it('rm asks before deleting a folder on a TTY', async function () {
    const user = new MegaUser(server().url)
    await user.login('carol@example.com', 'secret one')
    await user.run(['mkdir', '-p', '/keep', '/drop'])
    const no = await runInPty([process.execPath, MEGA_BIN, 'rm', '-r', '/keep'], user.env(), [{prompt: /Are you sure to delete keep/, input: 'no\r'}])
    expect(no.code, no.output).to.equal(0)
    const yes = await runInPty([process.execPath, MEGA_BIN, 'rm', '-r', '/drop'], user.env(), [{prompt: /Are you sure to delete drop/, input: 'yes\r'}])
    expect(yes.code, yes.output).to.equal(0)
    expect((await user.run(['ls', '/'])).stdout).to.equal('keep\n')
  })
})
