/**
 * @mega-shell/plugin-local-server: a persistent MEGA-compatible API server (mega-api.md §7) for offline use,
 * demos, benchmarks and end-to-end tests, usable in-process or as its own process (dist/server/main.js).
 * Which folder of src/server/ holds what is described at the top of server/start-server.ts.
 */
export {startServer, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SC_WAIT_TIMEOUT_MS} from './server/start-server.js'
export type {RunningServer, ServerOptions} from './server/start-server.js'
export {createAccount, AccountExistsError, EmptyPasswordError, InvalidEmailError, DEFAULT_STORAGE_MAX, DEFAULT_TRANSFER_MAX} from './server/accounts/account-factory.js'
export type {CreatedAccount, NewAccount} from './server/accounts/account-factory.js'
export {parseFaults} from './server/http/faults.js'
export type {FaultPlan} from './server/http/faults.js'
export {parseLoginThrottle, DEFAULT_LOGIN_THROTTLE} from './server/accounts/login-throttle.js'
export type {LoginThrottlePlan} from './server/accounts/login-throttle.js'
export {totpCode, currentStep} from './server/accounts/totp.js'
export {readOutbox} from './server/stores/outbox.js'
export type {Mail, MailKind} from './server/stores/outbox.js'
export {countAccounts, readServerInfo, runningServer} from './control/server-info.js'
export type {ServerInfo} from './control/server-info.js'
export {launchDetached, serverMainPath, terminate} from './control/launcher.js'
export {LISTENING_LINE} from './server/startup-report.js'
export {ServerRunningError} from './server/server-lock.js'
