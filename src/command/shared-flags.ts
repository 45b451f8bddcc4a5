import {Flags} from '@oclif/core'

/**
 * Flags several commands take, defined once so that every command spells, describes and parses them alike
 * (MEGAcmd's names, megacmd-reference.md §4).
 */

/** `--time-format=FORMAT`: a named format or a strftime pattern (format/time-format-option.ts reads it). */
export const timeFormatFlag = Flags.string({
  description: 'RFC2822, ISO6081, ISO6081_WITH_TIME, SHORT, SHORT_UTC or a strftime pattern',
  helpValue: 'FORMAT',
})

/** `--use-pcre`: patterns are Perl-style regular expressions matched against whole names (tree/name-pattern.ts). */
export const usePcreFlag = Flags.boolean({description: 'patterns are regular expressions matched against whole names (not * and ? wildcards)'})

/** `--path-display-size=N`: the width of the path column of a table (format/path-column.ts). */
export const pathDisplaySizeFlag = Flags.integer({description: 'width of the path column (default: from the terminal width)', helpValue: 'N'})

/** `--data=FOLDER`: the local server's data folder (local-server commands). */
export const dataFlag = Flags.string({description: 'data folder (default: $MEGA_SHELL_HOME/local-server)'})
