import {Flags} from '@oclif/core'
import {ArgumentFailures, b64TokensAsArguments, failedTo, killOtherSessions, killSession, MegaCommand, UsageError} from '@mega-shell/core'

export interface KillsessionResult {
  killed: string[]
  all: boolean
}

const SESSION_ID_LENGTH = 11

export default class Killsession extends MegaCommand<KillsessionResult> {
  static override summary = 'Kill sessions of the account'
  static override description = 'Session ids are the "Session ID" values of "mega whoami -l". -a kills every session except this one.'
  static override aliases = ['killsession']
  static override strict = false
  static override examples = ['<%= config.bin %> killsession -a', '<%= config.bin %> killsession mWJ2a1L4KpQ']
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'kill all sessions except the current one'}),
  }

  async run(): Promise<KillsessionResult> {
    // Session ids are 8-byte handles in b64 (11 characters); one in 64 begins with '-'.
    const {argv, flags} = await this.parse(Killsession, b64TokensAsArguments(this.argv, SESSION_ID_LENGTH))
    const ids = argv.map(String)
    if ((ids.length === 0 && !flags.all) || (flags.all && ids.length > 0)) throw new UsageError('Usage: killsession [-a | sessionid1 sessionid2 ... ]')
    const ctx = this.context
    ctx.requireSession()
    if (flags.all) {
      try {
        await killOtherSessions(ctx.api)
      } catch (error) {
        throw failedTo('kill session all. Maybe the session was not valid.', error)
      }
      this.out('All sessions killed successfully')
      return {killed: [], all: true}
    }
    const killed: string[] = []
    // Like MEGAcmd, go on with the other ids; the last failure decides the exit code.
    const failures = new ArgumentFailures()
    for (const id of ids) {
      try {
        await killSession(ctx.api, id)
        killed.push(id)
        this.out(`Session ${id} killed successfully`)
      } catch (error) {
        failures.add(failedTo(`kill session ${id}. Maybe the session was not valid.`, error))
      }
    }
    return this.settle({killed, all: false}, failures)
  }
}
