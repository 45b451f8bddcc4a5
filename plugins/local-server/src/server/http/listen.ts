import type {Server} from 'node:http'
import {CommandError, ExitCode} from '@mega-shell/core'

/** Starts listening, turning the reasons it can fail into one line with MEGAcmd's exit code. */
export function listen(http: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host))
    http.once('error', onError)
    http.listen(port, host, () => {
      http.off('error', onError)
      resolve()
    })
  })
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new CommandError(`Port ${port} is already in use on ${host}`, ExitCode.INVALIDSTATE)
    case 'EACCES':
      return new CommandError(`Not allowed to listen on port ${port} of ${host} (ports below 1024 need privileges)`, ExitCode.NOTPERMITTED)
    case 'EADDRNOTAVAIL':
    case 'EINVAL':
      return new CommandError(`Cannot listen on ${host}: not an address of this machine`, ExitCode.EARGS)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new CommandError(`Cannot listen on ${host}: unknown host name`, ExitCode.EARGS)
    default:
      return error
  }
}
