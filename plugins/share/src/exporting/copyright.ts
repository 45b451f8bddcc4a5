import {askText, canPrompt, type MegaContext, UsageError} from '@mega-shell/core'

/** Where the acceptance is kept in the cache (MEGAcmd keeps `copyrightAccepted` in megacmd.cfg). */
const ACCEPTED_KEY = 'copyright-accepted'

/** MEGAcmd's notice, word for word (megacmdexecuter.cpp exportNode). */
const NOTICE = 'MEGA respects the copyrights of others and requires that users of the MEGA cloud service comply with the laws of copyright.\n' +
  'You are strictly prohibited from using the MEGA cloud service to infringe copyright.\n' +
  'You may not upload, download, store, share, display, stream, distribute, email, link to, transmit or otherwise make available any files, ' +
  'data or content that infringes any copyright or other proprietary rights of any person or entity.\n' +
  'Do you accept these terms? (Yes/No):'

/**
 * Whether the account's user accepts MEGA's copyright terms before a first link, as MEGAcmd asks (exportNode):
 * `-f` accepts them, so does an account that already has links, and the answer is remembered. MEGAcmd would ask a
 * script on its stdin and wait for ever on a closed one; without a terminal we refuse instead, naming -f (51).
 * Returns false when the user answers no.
 */
export async function copyrightAccepted(ctx: MegaContext, force: boolean): Promise<boolean> {
  if (force || ctx.meta.get(ACCEPTED_KEY) === '1' || ctx.nodes.exported().length > 0) {
    remember(ctx)
    return true
  }
  if (!canPrompt()) throw new UsageError('Exporting needs MEGA\'s copyright terms accepted first: add -f to accept them')
  const answer = (await askText(NOTICE, 'acceptance of the copyright terms')).trim().toLowerCase()
  if (answer !== 'yes' && answer !== 'y') return false
  remember(ctx)
  return true
}

function remember(ctx: MegaContext): void {
  if (ctx.meta.get(ACCEPTED_KEY) !== '1') ctx.meta.set(ACCEPTED_KEY, '1')
}
