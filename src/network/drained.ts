import type {Writable} from 'node:stream'

/**
 * Until a stream that refused a write (write() returned false) can take more, or is closed: a server that waits for this
 * between pieces sends at the pace its client reads, and a client that goes away does not leave it waiting forever.
 */
export function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('close', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
  })
}
