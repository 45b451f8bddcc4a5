import {expect} from 'chai'
import type {CliResult} from './cli.js'

/** A failed command: the expected exit code and exactly one line on stderr (matching `pattern` if given). */
export function expectFailure(result: CliResult, code: number, pattern?: RegExp): void {
  expect(result.code, `exit code; stdout: ${result.stdout} stderr: ${result.stderr}`).to.equal(code)
  const lines = result.stderr.trim().split('\n')
  expect(lines, `stderr: ${result.stderr}`).to.have.length(1)
  if (pattern) expect(lines[0]).to.match(pattern)
}

/** A successful command; returns its stdout. */
export function expectOk(result: CliResult): string {
  expect(result.code, `stderr: ${result.stderr}\nstdout: ${result.stdout}`).to.equal(0)
  return result.stdout
}
