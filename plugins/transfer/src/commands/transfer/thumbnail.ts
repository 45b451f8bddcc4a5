import {FileAttributeType} from '@mega-shell/core'
import {FileAttributeCommand, fileAttributeArgs, fileAttributeFlags} from '../../media/file-attribute-command.js'

export default class Thumbnail extends FileAttributeCommand {
  static override summary = "Download or set a file's thumbnail"
  static override description = `Without -s, saves the file's thumbnail (a 200×200 JPEG) to the local path: a file name, or a folder
(default: the current directory), where it is named <handle>0.jpg. With -s, the local image becomes the
thumbnail (a JPEG is attached as it is, another image format is converted to JPEG).
Prints "Thumbnail for <remotepath> saved in <file>" or "… loaded from <file>".`
  static override aliases = ['thumbnail']
  static override examples = ['<%= config.bin %> thumbnail /photos/cat.jpg ./cat-thumb.jpg', '<%= config.bin %> thumbnail -s /photos/cat.jpg ./my-thumb.jpg']
  static override args = fileAttributeArgs
  static override flags = fileAttributeFlags
  protected readonly attributeType = FileAttributeType.THUMBNAIL
}
