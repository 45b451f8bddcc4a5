/**
 * Fault injection for client tests, from `MEGA_LOCAL_SERVER_FAULTS` (or the `faults` option):
 * a comma-separated list of
 *   eagain:N   every Nth `cs` request answers a bare -3 (EAGAIN) without running (clients must retry)
 *   drop:N     every Nth `cs` request has its connection destroyed without an answer
 *   slow:MS    every `cs` request is answered MS milliseconds late
 *   dlslow:MS  every download (data URL) response starts MS milliseconds late, so that a client's download is
 *              still running when a test interrupts it
 * e.g. `eagain:3` or `eagain:5,slow:100`. Upload URLs and the `sc` channel are never affected.
 */
export interface FaultPlan {
  eagainEvery: number
  dropEvery: number
  slowMs: number
  downloadDelayMs: number
}

export const NO_FAULTS: FaultPlan = {eagainEvery: 0, dropEvery: 0, slowMs: 0, downloadDelayMs: 0}

export function parseFaults(spec: string | undefined): FaultPlan {
  const plan = {...NO_FAULTS}
  for (const part of (spec ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(eagain|drop|slow|dlslow):(\d+)$/.exec(part)
    if (!match) throw new Error(`Bad fault "${part}": expected eagain:N, drop:N, slow:MS or dlslow:MS`)
    const value = Number(match[2])
    if (match[1] === 'eagain') plan.eagainEvery = value
    else if (match[1] === 'drop') plan.dropEvery = value
    else if (match[1] === 'dlslow') plan.downloadDelayMs = value
    else plan.slowMs = value
  }
  return plan
}

export type FaultAction = 'none' | 'eagain' | 'drop'

/** Decides, request by request, which fault (if any) hits the next `cs` request. */
export class FaultInjector {
  private count = 0

  constructor(readonly plan: FaultPlan) {}

  next(): FaultAction {
    this.count++
    if (this.plan.dropEvery > 0 && this.count % this.plan.dropEvery === 0) return 'drop'
    if (this.plan.eagainEvery > 0 && this.count % this.plan.eagainEvery === 0) return 'eagain'
    return 'none'
  }
}
