/**
 * "First Last" → the firstname/lastname pair a signup stores as user attributes. MEGAcmd splits at the first
 * space (MegaCmdExecuter::signup), so "Anna Maria Silva" is first "Anna", last "Maria Silva".
 */
export function splitFullName(name: string): {first: string; last: string} {
  const space = name.indexOf(' ')
  return space < 0 ? {first: name, last: ''} : {first: name.slice(0, space), last: name.slice(space + 1)}
}
