import {type MegaContext, type MegaNode, setAttributes} from '@mega-shell/core'
import {INSTANCE_STATES, type InstanceState} from '../service/backup-protocol.js'

/**
 * The SDK keeps a custom node attribute `NAME` as `_NAME` in the node's attributes (MegaNodePrivate reads every
 * attribute starting with `_` as custom; setCustomNodeAttribute writes it so): BACKST is `_BACKST`.
 */
const BACKST = '_BACKST'

/** A run folder's state, as any client of the account reads it; undefined when it has none. */
export function instanceState(node: MegaNode): InstanceState | undefined {
  const value = node.attrs[BACKST]
  return INSTANCE_STATES.find((state) => state === value)
}

/** The attribute that gives a folder `state` when it is created with it (a SKIPPED run folder is never seen without). */
export function instanceStateAttribute(state: InstanceState): Record<string, string> {
  return {[BACKST]: state}
}

/** Writes a run folder's state (SDK: setCustomNodeAttribute(node, "BACKST", state)). */
export function setInstanceState(ctx: MegaContext, node: MegaNode, state: InstanceState): Promise<MegaNode> {
  return setAttributes(ctx, node, {...node.attrs, ...instanceStateAttribute(state)})
}
