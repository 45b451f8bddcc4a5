import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'

/** Writes `files` (relative path → content) under `root`, creating folders; returns `root`. */
export function writeTree(root: string, files: Record<string, Buffer | string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), {recursive: true})
    writeFileSync(join(root, path), content)
  }
  return root
}

/** Every file under `dir`, hidden ones too (a partial file left behind shows), as relative path → content. */
export function readTree(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {}
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, {withFileTypes: true})) {
      const child = join(path, entry.name)
      if (entry.isDirectory()) walk(child)
      else files[relative(dir, child)] = readFileSync(child)
    }
  }
  walk(dir)
  return files
}
