import {Args} from '@oclif/core'
import {MegaCommand, ProfileSettings} from '@mega-shell/core'

export interface HttpsResult {
  https: boolean
}

export default class Https extends MegaCommand<HttpsResult> {
  static override summary = 'Show or set whether transfers use HTTPS (MEGAcmd https)'
  static override description = `Off by default, as in MEGAcmd: the data is encrypted before it leaves, so plain HTTP reveals nothing
of it. "on" asks the API for https:// transfer URLs (ssl:2 in u, g and ufa, as the SDK does) from the next
transfer on, in every process of the profile; kept in the profile. The embedded local server has no TLS:
it accepts the request and still answers with http:// URLs on its loopback port.`
  static override aliases = ['https']
  static override examples = ['<%= config.bin %> https', '<%= config.bin %> https on']
  static override args = {
    mode: Args.string({description: 'on or off', options: ['on', 'off']}),
  }

  async run(): Promise<HttpsResult> {
    const {args} = await this.parse(Https)
    const settings = new ProfileSettings()
    // MEGAcmd's lines (MEGAcmd src/megacmdexecuter.cpp "https").
    if (args.mode === undefined) {
      this.out(`File transfer is done using ${settings.https ? 'HTTPS' : 'HTTP'}`)
      return {https: settings.https}
    }
    settings.https = args.mode === 'on'
    this.out(`File transfer now uses ${settings.https ? 'HTTPS' : 'HTTP'}`)
    return {https: settings.https}
  }
}
