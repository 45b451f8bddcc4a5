/**
 * Colour only on a terminal. oclif colours a few things (the plugin list, warnings) through ansis, which turns colour
 * on whenever the CI variable is set, even when the output goes into a pipe (ansis 3.17 index.js: `e.CI ? … : 1`
 * before it looks at the terminal): `mega plugins | grep` in a CI job then read escape codes. FORCE_COLOR still
 * wins. Called before @oclif/core loads, as ansis reads the environment once, at import.
 *
 * CommonJS importing nothing, like command-exit.cts: the bin scripts load it first.
 */
export function colourOnlyOnTerminal(isTerminal: boolean): void {
  if (!isTerminal && process.env.FORCE_COLOR === undefined) process.env.NO_COLOR ??= '1'
}
