// Large trees of real nodes, made through the server's API as a client would make them: `p` requests of up to
// `batchSize` nodes (folders with placeholder handles, files as copies of one uploaded file: `h` = its handle,
// its key re-encrypted under the master key, the server reusing its ciphertext — mega-api.md §4.3, the SDK's
// putnodes_prepareCopy). Every node has its own encrypted attributes. Reusable for any size: a 1M-node account
// is `buildNodeTree(ctx, root, {name, folders: 10000})`.
import {randomBytes} from 'node:crypto'
import {b64encode, encryptAttributes, encryptNodeKey, foldKey, NodeType, putNodes} from '@mega-shell/core'

/**
 * Builds `<parent>/<name>/d<i>/f<j>.txt`: `folders` folders of `filesPerFolder` files each, so
 * 1 + folders × (1 + filesPerFolder) nodes. The file named `rareName` (if given) replaces the middle folder's
 * first file: one match for a pattern search. `seed` is an uploaded file node whose content every file shares.
 * Returns the top folder node.
 */
export async function buildNodeTree(ctx, parent, {name, seed, folders, filesPerFolder = 99, batchSize = 10000, rareName}) {
  const master = ctx.requireWritable()
  const [top] = await putNodes(ctx, parent, [folderNode(master, name, placeholder())])
  const fileKey = encryptNodeKey(master, seed.key)
  const fileNode = (fileName, parentRef) => ({h: seed.handle, t: NodeType.FILE, a: encryptAttributes(foldKey(seed.key), {n: fileName}), k: fileKey, p: parentRef})
  let batch = []
  for (let i = 0; i < folders; i++) {
    const ref = placeholder()
    batch.push(folderNode(master, `d${i}`, ref))
    for (let j = 0; j < filesPerFolder; j++) {
      batch.push(fileNode(rareName && j === 0 && i === Math.floor(folders / 2) ? rareName : `f${j}.txt`, ref))
    }
    if (batch.length + filesPerFolder + 1 > batchSize || i === folders - 1) {
      // The API directly, not putNodes: the fixture's own session need not cache what it makes (at a million nodes
      // that caching was most of the build time). The reply is checked, not decoded.
      const reply = await ctx.api.request({a: 'p', t: top.handle, n: batch})
      if (reply.f?.length !== batch.length) throw new Error(`p created ${reply.f?.length} of ${batch.length} nodes`)
      batch = []
    }
  }
  return top
}

function folderNode(master, name, ref) {
  const key = randomBytes(16)
  return {h: ref, t: NodeType.FOLDER, a: encryptAttributes(key, {n: name}), k: encryptNodeKey(master, key)}
}

// The SDK sends a random 6-byte handle as a new folder's placeholder (mega-api.md §4.3).
function placeholder() {
  return b64encode(randomBytes(6))
}
