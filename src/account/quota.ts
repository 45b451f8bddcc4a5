import type {ApiClient} from '../api/client.js'

export interface RootUsage {
  bytes: number
  files: number
  folders: number
  versionBytes: number
  versionFiles: number
}

/** The `uq` members MEGAcmd's `whoami -l` shows (mega-api.md §3.7; SDK CommandGetUserQuota). */
export interface AccountQuota {
  storageMax: number
  storageUsed: number
  /** Per root node handle. */
  roots: Record<string, RootUsage>
  transferMax: number
  transferUsed: number
  proLevel: number
  /** Pro expiry (unix seconds), when the server tells it. */
  proUntil?: number
  subscriptionMethod: string
  balances: Array<{amount: number; currency: string}>
}

interface QuotaReply {
  mstrg?: number; cstrg?: number; cstrgn?: Record<string, number[]>; mxfer?: number; caxfer?: number
  utype?: number; suntil?: number; smeth?: string; balance?: Array<[string | number, string]>
  /** The account's plans: a PRO plan has an account level `al` above 0, 99999 is a feature plan (SDK AccountPlan::isProPlan). */
  plans?: Array<{al?: number}>
}

const FEATURE_PLAN = 99999

export async function fetchQuota(api: ApiClient): Promise<AccountQuota> {
  const reply = await api.request<QuotaReply>({a: 'uq', strg: 1, xfer: 1, pro: 1})
  const roots: Record<string, RootUsage> = {}
  for (const [handle, [bytes = 0, files = 0, folders = 0, versionBytes = 0, versionFiles = 0] = []] of Object.entries(reply.cstrgn ?? {})) {
    roots[handle] = {bytes, files, folders, versionBytes, versionFiles}
  }
  return {
    storageMax: reply.mstrg ?? 0, storageUsed: reply.cstrg ?? 0, roots, transferMax: reply.mxfer ?? 0, transferUsed: reply.caxfer ?? 0,
    proLevel: Math.max(reply.utype ?? 0, ...(reply.plans ?? []).map((plan) => (plan.al === FEATURE_PLAN ? 0 : plan.al ?? 0))), proUntil: reply.suntil, subscriptionMethod: reply.smeth ?? '',
    balances: (reply.balance ?? []).map(([amount, currency]) => ({amount: Number(amount) || 0, currency: String(currency)})),
  }
}
