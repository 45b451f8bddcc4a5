import {compareSdkHandles, inShareRoots, MegaCommand, printable, shareAccessText} from '@mega-shell/core'

export interface MountEntry {
  /** MEGAcmd's name for the root: ROOT, INBOX, RUBBISH or INSHARE. */
  root: string
  path: string
  /** For an in-share: the access it gives. */
  access?: string
}

export interface MountResult {
  mounts: MountEntry[]
}

/** The roots every account has, as MEGAcmd names them (megacmdexecuter.cpp rootnodenames / rootnodepaths). */
const ROOTS: MountEntry[] = [{root: 'ROOT', path: '/'}, {root: 'INBOX', path: '//in'}, {root: 'RUBBISH', path: '//bin'}]

export default class Mount extends MegaCommand<MountResult> {
  static override summary = 'List the roots: cloud drive, inbox, rubbish bin and the folders shared with you'
  static override description = `As MEGAcmd: "ROOT on /", "INBOX on //in", "RUBBISH on //bin", then one line per folder another user
shares with you, "INSHARE on //from/<email>:<folder> (<access>)"; such a folder is reached as <email>:<folder>
(or //from/<email>:<folder>) in any command that takes a remote path.`
  static override aliases = ['mount']
  static override examples = ['<%= config.bin %> mount', '<%= config.bin %> ls bob@example.com:photos']

  async run(): Promise<MountResult> {
    await this.parse(Mount)
    const ctx = this.context
    await ctx.readyAccount()
    const mounts = [...ROOTS]
    // MEGAcmd lists in-shares by owner, then folder, in the SDK's handle order (MegaClient::getVerifiedInShares).
    const shares = inShareRoots(ctx.nodes, ctx.shares, ctx.contacts)
      .sort((a, b) => compareSdkHandles(a.owner, b.owner) || compareSdkHandles(a.node.handle, b.node.handle))
    for (const share of shares) {
      mounts.push({root: 'INSHARE', path: `//from/${share.email}:${share.node.name}`, access: shareAccessText(share.access)})
      // Its key has not arrived: its owner's client sends it (MEGAcmd: "Found some inaccessible (in)share").
      if (!share.node.key) this.warn(`The folder ${share.email} shares with you cannot be opened yet: ${share.email} has not sent its key (it is sent when they next use MEGA)`)
    }
    for (const {root, path, access} of mounts) this.out(`${root} on ${printable(path)}${access ? ` (${access})` : ''}`)
    return {mounts}
  }
}
