import {Flags} from '@oclif/core'

/**
 * The layout flags of MEGAcmd's column tables (ColumnDisplayer, megacmd-reference.md §4 "Column tables"), as `sync`
 * and `sync-issues` take them.
 */
export const columnFlags = {
  'col-separator': Flags.string({description: 'separate the columns with this text instead of aligning them (header first)', helpValue: 'TEXT'}),
  'output-cols': Flags.string({description: 'comma-separated columns to show, in this order', helpValue: 'COL1,COL2,…'}),
}

/** `--output-cols=A,B`: the names, or undefined for the command's default columns. */
export function outputColumns(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((name) => name.trim()).filter(Boolean)
}
