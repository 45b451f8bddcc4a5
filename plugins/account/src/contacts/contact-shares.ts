import {compareSdkHandles, type ContactUser, displayCwd, displayPath, inShareRoots, type MegaContext, outShareLine, type PathResolver, shareAccessText} from '@mega-shell/core'

/** A folder shared with or by a contact, as `users -s --json` returns it. */
export interface ContactShare {
  path: string
  access: string
  pending: boolean
}

export interface ContactShares {
  /** Our folders shared with the contact. */
  sharedWith: ContactShare[]
  /** The contact's folders shared with us. */
  sharedBy: ContactShare[]
  /** The lines `users -s` prints under the contact. */
  lines: string[]
}

/**
 * `users -s` under one contact (megacmdexecuter.cpp "users", printShares): "> Folders shared with <who>:" then
 * each of our folders shared with it, its path as getDisplayPath("") shows it (relative to the cwd) and the access
 * (printOutShareInfo without the email); "> Folders shared by <who>:" then each folder it shares with us,
 * "//from/<email>:<folder> (folder, inbound <access> share)", or "//from/<email>[UNDECRYPTABLE]" while its key is
 * missing. <who> is the name with -n, else the email.
 */
export function contactShares(ctx: MegaContext, resolver: PathResolver, contact: ContactUser, who: string): ContactShares {
  const cwd = displayCwd(resolver, ctx.nodes)
  const sharedWith: ContactShare[] = []
  const sharedBy: ContactShare[] = []
  const lines: string[] = []
  const outShares = ctx.shares.outShares()
    .filter((s) => (s.pending ? ctx.contacts.request(s.user)?.email === contact.email : s.user === contact.handle))
    .sort((a, b) => compareSdkHandles(a.node, b.node))
  for (const share of outShares) {
    const node = ctx.nodes.get(share.node)
    if (!node) continue
    const path = displayPath('', resolver.pathOf(node), cwd)
    if (sharedWith.length === 0) lines.push(`> Folders shared with ${who}:`)
    lines.push(`  ${outShareLine(path, null, share.access, share.pending)}`)
    sharedWith.push({path, access: shareAccessText(share.access), pending: share.pending})
  }
  const inShares = inShareRoots(ctx.nodes, ctx.shares, ctx.contacts)
    .filter((share) => share.owner === contact.handle)
    .sort((a, b) => compareSdkHandles(a.node.handle, b.node.handle))
  for (const share of inShares) {
    const path = resolver.pathOf(share.node)
    if (sharedBy.length === 0) lines.push(`> Folders shared by ${who}:`)
    lines.push(share.node.key ? `  //from/${path} (folder, inbound ${shareAccessText(share.access)} share)` : `  //from/${share.email}[UNDECRYPTABLE]`)
    sharedBy.push({path, access: shareAccessText(share.access), pending: false})
  }
  return {sharedWith, sharedBy, lines}
}
