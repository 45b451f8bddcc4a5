import {MegaCommand, NotLoggedInError} from '@mega-shell/core'

export interface ReloadResult {
  reloaded: true
}

export default class Reload extends MegaCommand<ReloadResult> {
  static override summary = 'Fetch the whole remote tree again (MEGAcmd reload)'
  static override description = `The cache normally follows the account's changes by itself (the background server's live feed, or a
catch-up before each command); reload replaces it with a fresh copy of the whole tree, for when it is in doubt.`
  static override aliases = ['reload']
  static override examples = ['<%= config.bin %> reload']

  async run(): Promise<ReloadResult> {
    await this.parse(Reload)
    if (!this.context.loggedIn) throw new NotLoggedInError()
    // MEGAcmd prints it before fetching (MEGAcmd src/megacmdexecuter.cpp "reload").
    this.out('Reloading account...')
    const {followedByServer} = await this.context.reload()
    if (followedByServer) await this.callService('server', 'tree-reloaded')
    return {reloaded: true}
  }
}
