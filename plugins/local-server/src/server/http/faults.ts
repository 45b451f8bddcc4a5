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
 *   slowbytes:N  (or slow-bytes:N) every data-URL request moves at most N bytes per second: an upload chunk's body is read, and a
 *              download's body sent, no faster (pacer.ts), each request on its own (4 parallel requests move 4N).
 *              The bytes are exact and uploads complete, only later: a 1 MiB download at slowbytes:262144 takes
 *              at least 4 s. File attribute URLs (`ufa`) are not slowed
 *   ulexpire:MS  an upload URL older than MS milliseconds (counted from its `u`, across restarts) answers -8
 *              (EEXPIRED) to every chunk of an upload not yet complete, as MEGA's upload servers answer an expired
 *              URL (mega-api.md §1.2 upload-server errors; webclient upload2.js ulErrorMap): the client must ask for
 *              a new URL with `u` and send the file again from its start (the SDK restarts the transfer on -8,
 *              sdk-dialect.md §3.3). A complete upload still answers its token
 *   dlcut:N    every Nth download (data URL) response is cut off halfway through its body (the connection closed),
 *              as a network that drops connections mid-transfer: the client must fetch the range again
 *   ulcut:N    every Nth upload chunk's connection is closed once half its body has arrived: nothing of that chunk
 *              counts, the client must send it again
 * e.g. `eagain:3` or `eagain:5,slow:100`. Upload URLs (but for ulslow, slowbytes and ulexpire) and the `sc` channel
 * are never affected.
 */
export interface FaultPlan {
  eagainEvery: number
  dropEvery: number
  slowMs: number
  downloadDelayMs: number
  uploadDelayMs: number
  attributeDelayMs: number
  /** slowbytes: the most bytes per second one data-URL request moves; 0 unlimited. */
  bytesPerSecond: number
  /** ulexpire: upload URLs older than this answer -8 to chunks; 0 never (they last until dropped after a week). */
  uploadExpireMs: number
  /** dlcut / ulcut: every Nth data-URL download response / upload chunk is cut off halfway; 0 never. */
  downloadCutEvery: number
  uploadCutEvery: number
}

export const NO_FAULTS: FaultPlan = {
  eagainEvery: 0, dropEvery: 0, slowMs: 0, downloadDelayMs: 0, uploadDelayMs: 0, attributeDelayMs: 0, bytesPerSecond: 0, uploadExpireMs: 0,
  downloadCutEvery: 0, uploadCutEvery: 0,
}

export function parseFaults(spec: string | undefined): FaultPlan {
  const plan = {...NO_FAULTS}
  for (const part of (spec ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(eagain|drop|slow|dlslow|ulslow|faslow|slowbytes|slow-bytes|ulexpire|dlcut|ulcut):(\d+)$/.exec(part)
    if (!match) {
      throw new Error(`Bad fault "${part}": expected eagain:N, drop:N, slow:MS, dlslow:MS, ulslow:MS, faslow:MS, slowbytes:N, ulexpire:MS, dlcut:N or ulcut:N`)
    }
    const value = Number(match[2])
    if (match[1] === 'eagain') plan.eagainEvery = value
    else if (match[1] === 'drop') plan.dropEvery = value
    else if (match[1] === 'dlslow') plan.downloadDelayMs = value
    else if (match[1] === 'ulslow') plan.uploadDelayMs = value
    else if (match[1] === 'faslow') plan.attributeDelayMs = value
    else if (match[1] === 'slowbytes' || match[1] === 'slow-bytes') plan.bytesPerSecond = value
    else if (match[1] === 'ulexpire') plan.uploadExpireMs = value
    else if (match[1] === 'dlcut') plan.downloadCutEvery = value
    else if (match[1] === 'ulcut') plan.uploadCutEvery = value
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

/** Counts the requests of one kind and says which of them a `…cut:N` fault cuts off. */
export class CutCounter {
  private count = 0

  constructor(private readonly every: number) {}

  /** True for every Nth call. */
  next(): boolean {
    return this.every > 0 && ++this.count % this.every === 0
  }
}
