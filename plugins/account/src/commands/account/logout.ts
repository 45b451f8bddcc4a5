import {Flags} from '@oclif/core'
import {ApiClient, b64decode, encodeSessionString, MegaCommand, MegaError, normalizeApiUrl, NotLoggedInError} from '@mega-shell/core'

export interface LogoutResult {
  keptSession: boolean
  session?: string
}

export default class Logout extends MegaCommand<LogoutResult> {
  static override summary = 'Log out'
  static override description = `Ends the session on the server and forgets it here. With --keep-session the session stays valid on the
server and its string is printed, so "mega login <session>" can resume it.`
  static override aliases = ['logout']
  static override flags = {
    'keep-session': Flags.boolean({description: 'keep the session valid and print its string'}),
  }

  async run(): Promise<LogoutResult> {
    const {flags} = await this.parse(Logout)
    const ctx = this.context
    const session = ctx.session
    if (!session && ctx.folderLink) {
      // A folder link has no session on the server to close: forgetting it here ends it.
      this.out('Logging out...')
      ctx.endSession()
      return {keptSession: false}
    }
    if (!session) throw new NotLoggedInError()
    this.out('Logging out...')
    if (flags['keep-session']) {
      const text = encodeSessionString(b64decode(session.masterKey), session.sid)
      ctx.endSession()
      this.out('Session closed but not deleted. Execute "logout" without --keep-session to delete the session permanently.')
      this.out(`You can also login with the session id: ${text}`)
      return {keptSession: true, session: text}
    }
    try {
      // `sml` closes the session on the server (mega-api.md §3.8; SDK CommandLogout): on the server that issued
      // it, whatever MEGA_API_URL says now, so logging out always works and the sid never goes elsewhere.
      await new ApiClient({apiUrl: normalizeApiUrl(session.apiUrl), sid: session.sid}).request({a: 'sml'})
    } catch (error) {
      // An already dead session is logged out all the same; anything else is worth a warning.
      if (!(error instanceof MegaError && (error.code === -15 || error.code === -9))) {
        this.warn(`Warning: the server did not confirm the logout (${(error as Error).message})`)
      }
    }
    ctx.endSession()
    return {keptSession: false}
  }
}
