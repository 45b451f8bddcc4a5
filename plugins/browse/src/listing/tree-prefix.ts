/**
 * The box-drawing lead of a `ls --tree` row (megacmdexecuter.cpp printTreeSuffix): for each level above the row,
 * "│   " when more siblings follow at that level, four spaces otherwise; then "├── " or, for a folder's last child,
 * "└── ". `lastLeaf[i]` says whether the node at level i+1 on the way down is its folder's last child.
 */
export function treePrefix(lastLeaf: boolean[]): string {
  if (lastLeaf.length === 0) return ''
  const above = lastLeaf.slice(0, -1).map((last) => (last ? '    ' : '\u2502   ')).join('')
  return `${above}${lastLeaf[lastLeaf.length - 1] ? '\u2514' : '\u251c'}\u2500\u2500 `
}
