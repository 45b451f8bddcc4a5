/**
 * Fault injection for client tests, from `MEGA_LOCAL_SERVER_FAULTS` (or the `faults` option):
 * a comma-separated list of
 *   eagain:N   every Nth `cs` request answers a bare -3 (EAGAIN) without running (clients must retry)
 *   drop:N     every Nth `cs` request has its connection destroyed without an answer
 *   slow:MS    every `cs` request is answered MS milliseconds late
 *   dlslow:MS  every download (data URL) response starts MS milliseconds late, so that a client's download is
 *              still running when a test interrupts it
 *   ulslow:MS  every upload chunk (data URL) is answered MS milliseconds late
 *   faslow:MS  every file attribute stored (POST to a `ufa` URL) is answered MS milliseconds late, so that a
 *              test can tell a thumbnail made before the file's node (in its `p`) from one attached later (`pfa`)
 * e.g. `eagain:3` or `eagain:5,slow:100`. Upload URLs (but for ulslow) and the `sc` channel are never affected.
 */
export interface FaultPlan {
  eagainEvery: number
  dropEvery: number
  slowMs: number
  downloadDelayMs: number
  uploadDelayMs: number
  attributeDelayMs: number
}

export const NO_FAULTS: FaultPlan = {eagainEvery: 0, dropEvery: 0, slowMs: 0, downloadDelayMs: 0, uploadDelayMs: 0, attributeDelayMs: 0}

export function parseFaults(spec: string | undefined): FaultPlan {
  const plan = {...NO_FAULTS}
  for (const part of (spec ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(eagain|drop|slow|dlslow|ulslow|faslow):(\d+)$/.exec(part)
    if (!match) throw new Error(`Bad fault "${part}": expected eagain:N, drop:N, slow:MS, dlslow:MS, ulslow:MS or faslow:MS`)
    const value = Number(match[2])
    if (match[1] === 'eagain') plan.eagainEvery = value
    else if (match[1] === 'drop') plan.dropEvery = value
    else if (match[1] === 'dlslow') plan.downloadDelayMs = value
    else if (match[1] === 'ulslow') plan.uploadDelayMs = value
    else if (match[1] === 'faslow') plan.attributeDelayMs = value
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

  /** Waits `ms` (a slow upload or attribute store of the plan); resolves at once for 0. */
  pause(ms: number): Promise<void> {
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
  }
}
