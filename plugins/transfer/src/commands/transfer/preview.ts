import {FileAttributeType} from '@mega-shell/core'
import {FileAttributeCommand, fileAttributeArgs, fileAttributeFlags} from '../../media/file-attribute-command.js'

export default class Preview extends FileAttributeCommand {
  static override summary = "Download or set a file's preview"
  static override description = `Without -s, saves the file's preview (a JPEG fitting 1000×1000) to the local path: a file name, or a
folder (default: the current directory), where it is named <handle>1.jpg. With -s, the local image becomes the
preview (a JPEG is attached as it is, another image format is converted to JPEG).
Prints "Preview for <remotepath> saved in <file>" or "… loaded from <file>".`
  static override aliases = ['preview']
  static override examples = ['<%= config.bin %> preview /photos/cat.jpg ./cat-preview.jpg', '<%= config.bin %> preview -s /photos/cat.jpg ./my-preview.jpg']
  static override args = fileAttributeArgs
  static override flags = fileAttributeFlags
  protected readonly attributeType = FileAttributeType.PREVIEW
}
