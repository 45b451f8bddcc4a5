import {ShareAccess} from '../store/share-store.js'

/** MEGAcmd's words for an access level (megacmdutils.cpp getAccessLevelStr). */
export function shareAccessText(access: ShareAccess): string {
  switch (access) {
    case ShareAccess.READ:
      return 'read access'
    case ShareAccess.READWRITE:
      return 'read/write access'
    case ShareAccess.FULL:
      return 'full access'
    case ShareAccess.OWNER:
      return 'owner access'
    default:
      return 'unknown access'
  }
}
