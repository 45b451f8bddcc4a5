/** Tab completion of command lines (the shell's and the `mega-*` bash completion's): pure, over the cache. */
export * from './line-words.js'
export * from './completion-text.js'
export * from './argument-kinds.js'
export * from './command-catalog.js'
export * from './remote-names.js'
export * from './local-names.js'
export * from './completion-engine.js'
