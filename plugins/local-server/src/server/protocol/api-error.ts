/**
 * API error numbers the server answers with are the core's one table (ApiCode, src/api/api-codes.ts). A handler
 * throws an ApiError; the dispatcher puts its number in the command's slot of the reply (or answers it bare when
 * the whole request fails).
 */
export {ApiCode} from '@mega-shell/core'

export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(readonly code: number, detail?: string) {
    super(detail ?? `API error ${code}`)
  }
}

export function fail(code: number, detail?: string): never {
  throw new ApiError(code, detail)
}
