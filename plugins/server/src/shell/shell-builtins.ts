import {statSync} from 'node:fs'
import {resolve} from 'node:path'
import {clearScreenDown, cursorTo} from 'node:readline'
import type {ShellHistory} from './shell-history.js'

/**
 * The commands the shell answers itself, as MEGAcmd's shell does (megacmdshell.cpp: history, clear; lcd and lpwd
 * change the shell's own local folder, which every command it sends runs in). Each returns its exit code.
 */
export const BUILTINS = ['lcd', 'lpwd', 'history', 'clear']

export type Builtin = (args: string[], history: ShellHistory) => number

const builtins: Record<string, Builtin> = {
  lcd(args) {
    // megacmdexecuter.cpp "lcd": without a folder the usage line (MCMD_EARGS, 51); one that is not a folder is
    // MCMD_INVALIDTYPE (55) with this line (megacmd-reference.md §6.3).
    if (args.length !== 1) {
      process.stderr.write('Usage: lcd localpath\n')
      return 51
    }
    const target = resolve(args[0])
    let isFolder = false
    try {
      isFolder = statSync(target).isDirectory()
    } catch {
      isFolder = false
    }
    if (!isFolder) {
      process.stderr.write(`Not a valid folder: ${args[0]}\n`)
      return 55
    }
    process.chdir(target)
    return 0
  },
  lpwd() {
    process.stdout.write(`${process.cwd()}\n`)
    return 0
  },
  history(_args, history) {
    for (const line of history.listing()) process.stdout.write(`${line}\n`)
    return 0
  },
  clear() {
    cursorTo(process.stdout, 0, 0)
    clearScreenDown(process.stdout)
    return 0
  },
}

export function builtin(name: string): Builtin | undefined {
  return Object.hasOwn(builtins, name) ? builtins[name] : undefined
}
