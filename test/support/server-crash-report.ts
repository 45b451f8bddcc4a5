import type {Context} from 'mocha'
import {serverCrashes} from '../helpers/cli.js'

/**
 * A root hook (mocharc `require`): a failed test whose background server crashed says why in its failure message.
 * The server's log lives in the test's temporary profile, which is gone when a CI run ends.
 */
export const mochaHooks = {
  afterEach(this: Context) {
    const test = this.currentTest
    if (test?.state !== 'failed' || !test.err) return
    const crashes = serverCrashes()
    if (crashes.length > 0) test.err.message += `\n\nA background server crashed:\n${crashes.join('\n')}`
  },
}
