import {exportedLinkText, exportedLinkUrl, type MegaNode, NodeType, type NodeStore, sizeToText} from '@mega-shell/core'

/**
 * The extra information `ls -a` (1), `ls -aa` (2) and `find -l` (3) append to a node's row, as MEGAcmd's dumpNode
 * writes it (megacmdexecuter.cpp): ` (<size>)` for a file, with `, shared as exported permanent|temporal file link`
 * when it has a link, followed from level 2 by `: <link>` and, for a temporal link, ` expires at|expired at <date>`;
 * ` (folder)` for a folder with the same link details; ` (root node)`, ` (inbox)`, ` (rubbish)` for the roots.
 *
 * What the cache does not hold is not shown: shares with other users ("shared with …, access …") and incoming
 * shares ("inbound … share"). The link part is format/link-text.ts, shared with `export`'s listing.
 */
export function extendedInfo(node: MegaNode, level: number, nodes: NodeStore, time: (unixSeconds: number) => string): string {
  switch (node.type) {
    case NodeType.FILE:
      return ` (${sizeToText(node.size, true, false)}${linkInfo(node, level, nodes, time)})`
    case NodeType.FOLDER:
      return ` (folder${linkInfo(node, level, nodes, time)})`
    case NodeType.ROOT:
      return ' (root node)'
    case NodeType.INBOX:
      return ' (inbox)'
    default:
      return ' (rubbish)'
  }
}

function linkInfo(node: MegaNode, level: number, nodes: NodeStore, time: (unixSeconds: number) => string): string {
  const text = exportedLinkText(node, level < 2 ? undefined : exportedLinkUrl({nodes}, node), time)
  return text ? `, ${text}` : ''
}
