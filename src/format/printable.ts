/**
 * Names, emails and messages come from other MEGA users (a contact's name, an invitation's text, the nodes of a
 * share or a folder link), so they can hold escape sequences that clear or retitle a terminal, or newlines that
 * make one name read as two lines to a script. Text output shows such characters as backslash escapes (as
 * coreutils `ls -b` does); `--json` keeps the exact strings.
 */

// C0 controls, DEL, C1 controls (0x9b is a one-byte CSI on some terminals), line/paragraph separators and the
// bidirectional overrides that can make a name display as another ("Trojan Source").
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
// eslint-disable-next-line no-control-regex
const UNSAFE_KEEPING_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const NAMED: Record<string, string> = {'\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e'}

function escape(char: string): string {
  const named = NAMED[char]
  if (named) return named
  const code = char.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** One value (a name, an email, a message) made safe to print on one line. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape)
}

/**
 * A whole output line, whose own tabs and newlines are layout (`ls -R` indents with tabs, `showpcr` adds a
 * message line): everything else that could act on a terminal is escaped. Values inside it should already have
 * gone through printable().
 */
export function printableLine(line: string): string {
  return line.replace(UNSAFE_KEEPING_LAYOUT, escape)
}
