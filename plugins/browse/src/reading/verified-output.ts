import {createReadStream} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pipeline} from 'node:stream/promises'

/**
 * Writes a remote file's bytes to `out` only once they are known to be right: the transfer engine downloads,
 * decrypts and checks the MAC into a file of a private temporary folder (mode 0700) and names it only when the
 * MAC matches, and only then is it copied to `out`. A file whose MAC does not match writes nothing (the
 * download's IntegrityError, exit 14). The folder is removed whatever happens, Ctrl-C included.
 * Without `out` the file is only verified. Returns false when `out` was closed by its reader (EPIPE:
 * `mega cat f | head`), so the caller stops.
 */
export async function writeVerified(download: (path: string) => Promise<void>, out: NodeJS.WritableStream | undefined): Promise<boolean> {
  const folder = await mkdtemp(join(tmpdir(), 'mega-cat-'))
  try {
    const path = join(folder, 'file')
    await download(path)
    if (out) await pipeline(createReadStream(path), out, {end: false})
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return false
    throw error
  } finally {
    await rm(folder, {recursive: true, force: true})
  }
}
