import {currentProfileSettings, type TransferDirection} from '../config/profile-settings.js'
import type {CryptoPlace} from './piece-crypto.js'

/** Knobs shared by uploads and downloads; the defaults come from bench/transfer-data.ts on loopback. */
export interface TransferTuning {
  /** Requests in flight at once for this file. */
  connections?: number
  /** Largest request body / range, in bytes (rounded down to the MAC chunk grid). */
  maxPieceSize?: number
  /** Further attempts for a piece after a network error or an HTTP 5xx. */
  retries?: number
  /** Delay before the first retry, growing 4× per attempt. */
  retryDelayMs?: number
  /** A request that moves no byte for this long fails (and is retried). */
  timeoutMs?: number
  /** Where to encrypt and MAC; default: the native addon when built, else worker threads for big files. */
  crypto?: CryptoPlace
}

export const DEFAULT_CONNECTIONS = 4

/** Connections per file of one direction: `speedlimit --upload-connections|--download-connections`, or the default. */
export function connectionsFor(direction: TransferDirection): number {
  return currentProfileSettings().maxConnections(direction) ?? DEFAULT_CONNECTIONS
}

