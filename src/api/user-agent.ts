import {createRequire} from 'node:module'

const {version} = createRequire(import.meta.url)('../../package.json') as {version: string}

/**
 * Sent with every API request: the server shows it in the session list (`usl`, MEGAcmd `whoami -l`
 * "User-Agent"), where a user tells their sessions apart. The SDK sends its own ("MEGAcmd/… (…)").
 */
export const USER_AGENT = `mega-shell/${version} (Node.js ${process.versions.node}; ${process.platform})`
