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
  /** Compute chunk MACs on the worker thread; default: for files of MAC_WORKER_MIN_SIZE bytes or more. */
  macWorker?: boolean
}

export const DEFAULT_CONNECTIONS = 4

/**
 * Files from this size on compute their chunk MACs on the worker thread (see mac-workers.ts); smaller ones do not
 * pay for starting it (~30 ms once per process).
 */
export const MAC_WORKER_MIN_SIZE = 16 * 1048576
