import {Args} from '@oclif/core'

/**
 * Positional args that never read stdin. oclif otherwise reads a missing arg from a non-TTY stdin
 * (stack.md gotcha 4: `echo /x | mega ls` would list /x, every script pays 10 ms, the shell loses input).
 */
export const MegaArgs = {
  string: ((options: Parameters<typeof Args.string>[0] = {}) => Args.string({...options, ignoreStdin: true})) as typeof Args.string,
}
