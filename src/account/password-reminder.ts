import type {ApiClient} from '../api/client.js'
import {fetchUserAttribute, storeUserAttribute} from './user-attributes.js'

const NAME = '^!prd'
const EMPTY = '0:0:0:0:0'

/**
 * `^!prd` with the "Recovery Key exported" flag set, the other fields kept (SDK User::mergePwdReminderData
 * with PWD_MK_EXPORTED): `lastSuccess:lastSkipped:mkExported:dontShowAgain:lastLogin`. A value of the wrong
 * shape starts again from zeros; fields that do not parse become 0. Returns null when nothing changes.
 */
export function withMasterKeyExported(old: string | null): string | null {
  let value = old ?? EMPTY
  if ((value.match(/:/g) ?? []).length !== 4 || value.length < 9) value = EMPTY
  const [success, skipped, exported, dontShow, lastLogin] = value.split(':')
  // The two flag fields must be one character each, or the SDK leaves the attribute alone.
  if (exported.length !== 1 || dontShow.length !== 1) return null
  const time = (text: string) => (/^-?\d+$/.test(text) ? text.replace(/^(-?)0+(?=\d)/, '$1') : '0')
  const flag = (text: string) => (text === '0' || text === '1' ? text : '0')
  const merged = [time(success), time(skipped), '1', flag(dontShow), time(lastLogin)].join(':')
  return merged === old ? null : merged
}

/**
 * Tells the server the master key was exported, as MEGAcmd's `masterkey` does (SDK masterKeyExported →
 * updatePwdReminderData, mega-api.md §3.10): read `^!prd` (-9 = never set), merge, write back with `up2`.
 */
export async function markMasterKeyExported(api: ApiClient, userHandle: string): Promise<void> {
  const current = await fetchUserAttribute(api, userHandle, NAME)
  const next = withMasterKeyExported(current ? current.value.toString('latin1') : null)
  if (next !== null) await storeUserAttribute(api, NAME, Buffer.from(next, 'latin1'))
}
