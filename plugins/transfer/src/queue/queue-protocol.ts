import {callService, type JsonValue, type NewTransfer, type TransferDirection, type TransferRecord} from '@mega-shell/core'

/**
 * The requests `put -q`, `get -q` and `transfers` send to the background server's `transfers` service, and its
 * answers: plain JSON over the server's service calls (services.ts).
 */
export const QUEUE_SERVICE = 'transfers'

export interface EnqueueRequest {
  transfers: NewTransfer[]
}

export interface EnqueueReply {
  tags: number[]
}

export interface ListReply {
  transfers: TransferRecord[]
}

export type QueueAction = 'cancel' | 'pause' | 'resume'

/** `transfers -c|-p|-r TAG…` or `-a`, optionally only one direction. */
export interface ActRequest {
  action: QueueAction
  tags?: number[]
  all?: boolean
  direction?: TransferDirection
}

export interface ActReply {
  /** Each tag asked for (or, with `all`, each transfer acted on), and whether it was found among the pending ones. */
  results: Array<{tag: number; found: boolean}>
}

/** Calls the queue service of the profile's background server (started if it is not running). */
export async function callQueue<R>(root: string, method: 'enqueue' | 'list' | 'act', params?: EnqueueRequest | ActRequest): Promise<R> {
  return (await callService(QUEUE_SERVICE, method, params as unknown as JsonValue, {root})) as unknown as R
}
