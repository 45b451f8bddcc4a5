/**
 * `@mega-shell/core/daemon`: the background server, for the commands that run and control it (plugins/server).
 * The service API that every plugin may use (services.ts, callService) is exported by the core's index.
 */
export {startDaemon, SERVER_INFO_FILE, type DaemonOptions, type DaemonStatus, type RunningDaemon} from './daemon.js'
export {ServerRunningError} from './daemon-lock.js'
export {DEFAULT_LOG_LEVELS, LOG_FILE} from './daemon-log.js'
export {LOG_LEVELS, isLogLevel, logLevelName, parseLogLevel, type LogLevel} from './log-levels.js'
export type {FeedState, FeedStatus} from './live-feed.js'
export type {HostInfo} from './host-pool.js'
export type {ServiceReport} from './service-hub.js'
export {connectToServer, requestService, stopServer} from './server-client.js'
export {launchServer, reachServer} from './server-launch.cjs'
export {socketPathFor} from './socket-path.cjs'
export {relayCommand, ttyFacts, type RelayedCommand} from './command-relay.cjs'
export {forwardedEnvironment} from './protocol.cjs'
export {buildId} from './build-id.cjs'
