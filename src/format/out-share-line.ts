import {shareAccessText} from './share-access-text.js'
import type {ShareAccess} from '../store/share-store.js'

/**
 * One share of one of our folders as MEGAcmd prints it (megacmdexecuter.cpp printOutShareInfo):
 * `<path>, shared [(still pending) ]with <email> (<access>)`, or without an email (`users -s`) `<path>, (<access>)`.
 * MEGAcmd adds "[UNVERIFIED]" to a share whose key waits for the sharee's credentials to be verified (the
 * current SDK's ^!keys); our shares carry their key from the start, so they never wait.
 */
export function outShareLine(path: string, email: string | null, access: ShareAccess, pending: boolean): string {
  const who = email === null ? '' : ` shared${pending ? ' (still pending)' : ''} with ${email}`
  return `${path},${who} (${shareAccessText(access)})`
}
