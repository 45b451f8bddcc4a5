import {askSecret, CommandError, ExitCode} from '@mega-shell/core'

/**
 * A new password, typed twice on a terminal (MEGAcmd's NEWPASSWORD / PASSWORDCONFIRM prompts, megacmd.h).
 * No terminal: the usual "Extra args required in non-interactive mode" usage error.
 */
export async function askNewPassword(): Promise<string> {
  const first = await askSecret('New Password:', 'password')
  const second = await askSecret('Retype New Password:', 'password')
  if (first !== second) throw new CommandError('New passwords differ, please try again', ExitCode.EARGS)
  return first
}
