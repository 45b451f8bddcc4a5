import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {attributeFileName, attributeWord, CommandError, ExitCode, failedTo, FileAttributeType, MegaArgs, MegaCommand, NotFoundError, printable, saveNodeAttribute, setNodeAttribute, SharpUnavailableError, UsageError} from '@mega-shell/core'

export interface FileAttributeResult {
  /** The remote path as given. */
  remote: string
  /** The local file written (get) or read (-s). */
  local: string
  action: 'saved' | 'loaded'
}

/** The arguments and flags of both commands; each declares them as its own (oclif copies only own statics). */
export const fileAttributeArgs = {
  remotepath: MegaArgs.string({description: 'remote file'}),
  localpath: MegaArgs.string({description: 'local file or folder (default: the current directory)'}),
}

export const fileAttributeFlags = {
  set: Flags.boolean({char: 's', description: 'set the attribute from the local image instead of downloading it'}),
}

/**
 * `thumbnail` and `preview` (MEGAcmd megacmdexecuter.cpp, `words[0] == "thumbnail"`/`"preview"`): without -s
 * the node's attribute is saved to the local path, with -s the local image becomes the attribute. Lines and
 * codes are MEGAcmd's: "<Word> for <remotepath> saved in|loaded from <file>"; "<p>: No such file or
 * directory" (53); a failed request "Failed to get|set <word> <p> to <path>: <SDK error>" with exit |code|.
 */
export abstract class FileAttributeCommand extends MegaCommand<FileAttributeResult> {
  protected abstract readonly attributeType: FileAttributeType

  async run(): Promise<FileAttributeResult> {
    const {args, flags} = await this.parse({args: fileAttributeArgs, flags: fileAttributeFlags, baseFlags: MegaCommand.baseFlags, enableJsonFlag: true})
    const word = attributeWord(this.attributeType)
    if (!args.remotepath) throw new UsageError(`Usage: ${word} [-s] remotepath localpath`)
    // MEGAcmd's client makes the local path absolute, "." when it is missing (megacmdclient.cpp).
    const local = resolve(args.localpath ?? '.')
    await this.context.ready()
    const node = this.resolver().resolveOne(args.remotepath)
    if (!node) throw new NotFoundError(`${args.remotepath}: No such file or directory`)
    const what = `${flags.set ? 'set' : 'get'} ${word} ${args.remotepath} to ${local}`
    let file = local
    try {
      if (flags.set) {
        await setNodeAttribute(this.context, node, this.attributeType, local, this.interrupt)
      } else {
        file = await attributeFileName(node, this.attributeType, local)
        await saveNodeAttribute(this.context, node, this.attributeType, file, this.interrupt)
      }
    } catch (error) {
      // Without the image library, -s cannot check or convert the image: one line, nothing sent.
      if (error instanceof SharpUnavailableError) throw new CommandError(`Failed to ${what}: ${error.message}`, ExitCode.EUNEXPECTED)
      throw failedTo(what, error)
    }
    const action = flags.set ? 'loaded' : 'saved'
    this.out(`${word[0].toUpperCase()}${word.slice(1)} for ${printable(args.remotepath)} ${action === 'saved' ? 'saved in' : 'loaded from'} ${printable(file)}`)
    return {remote: args.remotepath, local: file, action}
  }
}
