/**
 * The two reply conventions the server speaks (sdk-dialect.md). `sdk`: the official SDK (MEGAcmd, the apps), which
 * puts `v=3` on every `cs` URL (MegaClient::exec, src/megaclient.cpp) and expects sequence tags; `legacy`:
 * megajs, megatools, go-mega and mega-shell's own client, which send no `v` and keep getting exactly the replies
 * of mega-api.md.
 */
export type Dialect = 'legacy' | 'sdk'

export function dialectOf(query: URLSearchParams): Dialect {
  return query.get('v') === '3' ? 'sdk' : 'legacy'
}

/**
 * Commands whose SDK class sets `mSeqtagArray` (src/commands.cpp: CommandPutNodes, CommandSetShare, CommandSetPH,
 * CommandPutUAVer, CommandPutMultipleUAVer, CommandPutUA, CommandDelUA, CommandAttachFA, CommandSetPendingContact,
 * CommandRemoveContact, and the `up` family CommandSetMasterKey / CommandCreateEphemeralSession / CommandSetKeyPair).
 * Only for these does Request::process (src/request.cpp) read `["<st>", <payload>]` and `[0, <payload>]`; for
 * any other command such an array is its plain JSON result.
 */
const SEQTAG_ARRAY_COMMANDS: ReadonlySet<string> = new Set(['p', 's2', 'l', 'upv', 'up2', 'upr', 'pfa', 'upc', 'ur2', 'up'])

/**
 * Whether a successful result can carry a sequence tag: a bare OK becomes the bare tag (Request::processSeqTag
 * treats it as success), and a payload of a seqtag-array command becomes `["<st>", payload]`. Any other payload
 * has no room for one: its command then finishes without waiting for its packets.
 */
export function canCarrySeqTag(command: string, result: unknown): boolean {
  return result === 0 || (SEQTAG_ARRAY_COMMANDS.has(command) && typeof result !== 'number')
}

/**
 * A command's result in the request's dialect. `st` is the sequence tag of the packets the command caused for
 * the caller's account, if it got one (command-dispatcher.ts). In the SDK dialect a bare JSON string is always a
 * sequence tag (Request::process, src/request.cpp: `*pos == '"'` → processSeqTag; SDK commit 57ef020e7), so
 * string (and array) payloads of seqtag-array commands travel as `[0, payload]`.
 */
export function shapeResult(dialect: Dialect, command: string, result: unknown, st: string | undefined): unknown {
  if (dialect === 'legacy') return result
  if (st !== undefined) return result === 0 ? st : [st, result]
  if (SEQTAG_ARRAY_COMMANDS.has(command) && (typeof result === 'string' || Array.isArray(result))) return [0, result]
  return result
}

/**
 * The reply to an upload chunk that does not complete the file: the SDK accepts exactly the one byte `0` and
 * treats anything else that is not the 36-byte token as an error (TransferSlot::doio, src/transferslot.cpp:
 * `in.size() != 1 || in[0] != '0'`), while go-mega takes any non-empty body for the token (mega-api.md §5.1).
 */
export function chunkAcknowledgement(dialect: Dialect): string {
  return dialect === 'sdk' ? '0' : ''
}
