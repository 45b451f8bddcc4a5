/**
 * The MEGA API's error numbers (mega-api.md §1.2; SDK include/mega/types.h `error` enum), one table for both
 * sides of the wire: the client maps them to MegaErrors and exit codes, the local server answers with them.
 */
export const ApiCode = {
  OK: 0,
  EINTERNAL: -1,
  EARGS: -2,
  EAGAIN: -3,
  ERATELIMIT: -4,
  EFAILED: -5,
  ETOOMANY: -6,
  ERANGE: -7,
  EEXPIRED: -8,
  ENOENT: -9,
  ECIRCULAR: -10,
  EACCESS: -11,
  EEXIST: -12,
  EINCOMPLETE: -13,
  EKEY: -14,
  ESID: -15,
  EBLOCKED: -16,
  EOVERQUOTA: -17,
  ETEMPUNAVAIL: -18,
  ETOOMANYCONNECTIONS: -19,
  EWRITE: -20,
  EREAD: -21,
  EAPPKEY: -22,
  ESSL: -23,
  EGOINGOVERQUOTA: -24,
  EROLLEDBACK: -25,
  EMFAREQUIRED: -26,
  EMASTERONLY: -27,
  EBUSINESSPASTDUE: -28,
  EPAYWALL: -29,
  ESUBUSERKEYMISSING: -30,
} as const

export type ApiCodeName = keyof typeof ApiCode

/** `-9` → `ENOENT`. */
export const API_CODE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(ApiCode).filter(([, code]) => code !== 0).map(([name, code]) => [code, name]),
)
