import {MegaArgs, MegaCommand, NodeType, NotFoundError} from '@mega-shell/core'

export interface CdResult {
  cwd: string
}

export default class Cd extends MegaCommand<CdResult> {
  static override summary = 'Change the remote working directory'
  static override description = 'Without a path, goes to the cloud root. The cwd is kept for later commands (MEGA_CWD pins one for a script).'
  static override aliases = ['cd']
  static override args = {path: MegaArgs.string({description: 'remote folder'})}

  async run(): Promise<CdResult> {
    const {args} = await this.parse(Cd)
    await this.context.ready()
    const resolver = this.resolver()
    const path = args.path ?? '/'
    const node = resolver.resolveOne(path)
    if (!node) throw new NotFoundError(`${path}: No such file or directory`)
    if (node.type === NodeType.FILE) throw new NotFoundError(`${path}: Not a directory`)
    const cwd = resolver.pathOf(node)
    this.context.setCwd(node, cwd)
    return {cwd}
  }
}
