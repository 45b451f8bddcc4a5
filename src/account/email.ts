/**
 * MEGAcmd's email check (megacmdcommonutils.cpp isValidEmail): at least "a@b.c", one '@' neither first nor
 * last, not followed by '.', and a '.' after it that is not the last character.
 */
export function isValidEmail(email: string): boolean {
  if (email.length < 5) return false
  const at = email.indexOf('@')
  if (at <= 0 || at + 1 >= email.length || email[at + 1] === '.') return false
  const dot = email.indexOf('.', at + 1)
  return dot >= 0 && dot !== email.length - 1
}
