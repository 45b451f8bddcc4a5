import type {MegaContext, MegaNode} from '@mega-shell/core'
import {NodeType} from '@mega-shell/core'
import type {InstanceState} from '../service/backup-protocol.js'
import {instanceTime} from '../schedule/instance-name.js'
import {instanceState} from './instance-state.js'

/** A run folder of a backup in its remote parent. */
export interface Instance {
  node: MegaNode
  /** Its slot (unix ms), from its name. */
  time: number
  state: InstanceState | undefined
}

/** The run folders of the backup of `localFolderName` in `parent`, oldest first. */
export function instancesOf(ctx: MegaContext, parent: string, localFolderName: string): Instance[] {
  const found: Instance[] = []
  for (const node of ctx.nodes.children(parent)) {
    if (node.type !== NodeType.FOLDER) continue
    const time = instanceTime(localFolderName, node.name)
    if (time !== undefined) found.push({node, time, state: instanceState(node)})
  }
  return found.sort((a, b) => a.time - b.time)
}

/**
 * Which run folders to delete so that `max` remain: the oldest, except that the last COMPLETE one is never deleted
 * (SDK MegaScheduledCopyController::removeexceeding: when one complete backup is left and it is the oldest, the next
 * oldest goes instead). `instances` oldest first.
 */
export function exceeding(instances: Instance[], max: number): Instance[] {
  const left = [...instances]
  let complete = left.filter((i) => i.state === 'COMPLETE').length
  const doomed: Instance[] = []
  while (left.length > max) {
    let index = 0
    if (complete === 1 && left[0].state === 'COMPLETE' && left.length > 1) index = 1
    const [gone] = left.splice(index, 1)
    if (gone.state === 'COMPLETE') complete--
    doomed.push(gone)
  }
  return doomed
}
