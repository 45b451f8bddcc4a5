import {Flags} from '@oclif/core'
import {MegaCommand} from '@mega-shell/core'
import {stopServer} from '@mega-shell/core/daemon'

export interface QuitResult {
  stopped: boolean
}

export default class Quit extends MegaCommand<QuitResult> {
  static override summary = 'Stop the background server (MEGAcmd quit / exit)'
  static override description = `As in MEGAcmd, the session and the cache are kept: the next command starts the server again and resumes it.
--only-shell closes only the interactive shell and leaves the server running (outside a shell there is nothing to close).`
  static override aliases = ['quit', 'exit']
  static override examples = ['<%= config.bin %> quit', '<%= config.bin %> quit --only-shell']
  static override flags = {
    'only-shell': Flags.boolean({description: 'close only the shell; the server keeps running'}),
  }

  async run(): Promise<QuitResult> {
    const {flags} = await this.parse(Quit)
    if (flags['only-shell']) return {stopped: false}
    return {stopped: (await stopServer()) !== undefined}
  }
}
