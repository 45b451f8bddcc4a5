import type {default as SharpFunction} from 'sharp'

export type Sharp = typeof SharpFunction

let loading: Promise<Sharp> | undefined

/**
 * sharp (libvips, a native module of ~10 MB) loads only when an image is uploaded or a thumbnail/preview is
 * set, never when a command starts: most commands never touch an image. It is an optional native dependency,
 * so it may be missing or unloadable on this machine: the promise then rejects with the reason.
 */
export function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then((module) => module.default, (error: unknown) => {
    throw new SharpUnavailableError((error as Error)?.message?.split('\n')[0] ?? String(error))
  })
  return loading
}

export class SharpUnavailableError extends Error {
  override readonly name = 'SharpUnavailableError'
  constructor(reason: string) {
    super(`the image library (sharp) cannot be loaded: ${reason}`)
  }
}
