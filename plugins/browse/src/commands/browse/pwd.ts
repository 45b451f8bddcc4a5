import {MegaCommand, printable} from '@mega-shell/core'

export interface PwdResult {
  cwd: string
}

export default class Pwd extends MegaCommand<PwdResult> {
  static override summary = 'Print the remote working directory'
  static override aliases = ['pwd']

  async run(): Promise<PwdResult> {
    await this.parse(Pwd)
    await this.context.ready()
    const resolver = this.resolver()
    const cwd = resolver.pathOf(resolver.resolve('.')[0])
    this.out(printable(cwd))
    return {cwd}
  }
}
