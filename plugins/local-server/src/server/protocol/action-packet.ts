/** An action packet (mega-api.md §1.5): its first member is `a`. */
export type ActionPacket = {a: string} & Record<string, unknown>

/**
 * Builds an action packet with `a` first, the request's `i` right after it and then the sequence tag `st`: the SDK
 * ignores a packet whose first member is not `a`, recognises its own packets only by an `i` right after `a`
 * (MegaClient::sc_procActionPacket, src/megaclient.cpp), and reads `st` only among the leading `a`/`i` members
 * (MegaClient::sc_checkActionPacket: any other name first means "no st").
 */
export function actionPacket(type: string, requestId: string | undefined, st: string | undefined, fields: Record<string, unknown>): ActionPacket {
  return {a: type, ...(requestId === undefined ? {} : {i: requestId}), ...(st === undefined ? {} : {st}), ...fields}
}
