import {UsageError} from '../errors.js'

/**
 * A password given on the command line or in the environment. MEGA's clients refuse an empty password before
 * any request (the webclient's and MEGAcmd's forms require one); so does every command here, with exit 51.
 */
export function checkedPassword(password: string, what = 'password'): string {
  if (password.length === 0) throw new UsageError(`The ${what} cannot be empty`)
  return password
}

/**
 * A password from the environment, so scripts need not put it in argv (where `ps` shows it): `MEGA_PASSWORD`
 * is the account's password, `MEGA_NEW_PASSWORD` the new one for `passwd`. An empty variable counts as unset.
 */
export function passwordFromEnvironment(name: 'MEGA_PASSWORD' | 'MEGA_NEW_PASSWORD'): string | undefined {
  return process.env[name] || undefined
}
