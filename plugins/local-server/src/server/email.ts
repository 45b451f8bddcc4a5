/**
 * What the server accepts as an email (signup, invitations): one '@' with something on both sides and no
 * spaces. The real service's rules are unknown; clients validate more strictly before sending.
 */
export function isValidEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
}
