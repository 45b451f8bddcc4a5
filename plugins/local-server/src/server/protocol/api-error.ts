/**
 * API error numbers the server answers with (mega-api.md §1.2; SDK ErrorCodes). A handler throws an
 * ApiError; the dispatcher puts its number in the command's slot of the reply (or answers it bare when
 * the whole request fails).
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
  EMFAREQUIRED: -26,
} as const

export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(readonly code: number, detail?: string) {
    super(detail ?? `API error ${code}`)
  }
}

export function fail(code: number, detail?: string): never {
  throw new ApiError(code, detail)
}
