import {Flags} from '@oclif/core'
import {failedTo, MegaArgs, MegaCommand, MegaError, type MegaNode, NodeType, NotFoundError, printable, setAttributes, UsageError} from '@mega-shell/core'
import {customAttributes, isOfficial, officialAttributes, withAttribute} from '../../attributes/node-attributes.js'

export interface AttrResult {
  path: string
  custom: Record<string, string>
  official: Record<string, string>
  /** The attribute set or removed, when one was. */
  changed?: {name: string; removed: boolean}
}

const USAGE = 'attr remotepath [--force-non-official] [-s attribute value|-d attribute [--print-only-value]'

export default class Attr extends MegaCommand<AttrResult> {
  static override summary = 'List, set or remove custom attributes of a remote file or folder'
  static override description = `Custom attributes are kept in the node's encrypted attributes (their name prefixed with "_"), so only the
account and those it shares the node with can read them. Names are at most 7 bytes. Without -s or -d, lists the
custom attributes and the official ones (s4); with an attribute name, only that one. -s sets a value (an empty
value removes it), -d removes it. "s4" is the official attribute of that name unless --force-non-official.`
  static override aliases = ['attr']
  static override usage = USAGE
  static override examples = ['<%= config.bin %> attr /docs/report.pdf', '<%= config.bin %> attr /docs/report.pdf -s status reviewed', '<%= config.bin %> attr /docs/report.pdf status --print-only-value', '<%= config.bin %> attr /docs/report.pdf -d status']
  static override args = {
    path: MegaArgs.string({description: 'remote file or folder (a literal path)'}),
    attribute: MegaArgs.string({description: 'attribute name'}),
    value: MegaArgs.string({description: 'value to set (with -s)'}),
  }
  static override flags = {
    s: Flags.boolean({char: 's', description: 'set the attribute to the value'}),
    d: Flags.boolean({char: 'd', description: 'remove the attribute'}),
    'force-non-official': Flags.boolean({description: 'treat an official attribute name (s4) as a custom one'}),
    'print-only-value': Flags.boolean({description: 'print only the values'}),
  }

  async run(): Promise<AttrResult> {
    const {args, flags} = await this.parse(Attr)
    if (!args.path) throw new UsageError(`Usage: ${USAGE}`)
    await this.context.ready()
    const resolver = this.resolver()
    let node = resolver.resolveOne(args.path)
    if (!node) throw new NotFoundError(`Couldn't find node: ${args.path}`)
    const attribute = args.attribute ?? ''
    const custom = flags['force-non-official'] || !isOfficial(attribute)
    const result: AttrResult = {path: resolver.pathOf(node), custom: {}, official: {}}
    if (flags.s || flags.d) {
      if (attribute === '') throw new UsageError('Attribute not specified')
      node = await this.change(node, attribute, flags.d ? null : (args.value ?? ''), !custom)
      this.out(`Node attribute ${printable(attribute)} ${flags.d ? 'removed' : 'updated'} correctly`)
      result.changed = {name: attribute, removed: flags.d}
    }
    const value = (name: string, text: string) => this.out(flags['print-only-value'] ? printable(text) : `\t${printable(name)} = ${printable(text)}`)
    const all = attribute === ''
    const customs = customAttributes(node)
    if (all) this.out(`The node has ${customs.length} custom attributes:`)
    for (const [name, text] of customs) {
      result.custom[name] = text
      if (all || (name === attribute && custom)) value(name, text)
    }
    // MEGAcmd lists official attributes unless a custom one was forced.
    if (all || !flags['force-non-official']) {
      let header = all
      for (const [name, text] of officialAttributes(node)) {
        result.official[name] = text
        if (!all && name !== attribute) continue
        if (header) this.out('Official attributes:')
        header = false
        value(name, text)
      }
    }
    return result
  }

  /** Sets or removes one attribute with `a`; MEGAcmd's "Failed to set node attribute: <name>: <error>" on failure. */
  private async change(node: MegaNode, name: string, value: string | null, official: boolean): Promise<MegaNode> {
    try {
      // A root has no key to encrypt attributes with: the SDK's setattr fails with EKEY (MegaClient::setattr).
      if (node.type !== NodeType.FILE && node.type !== NodeType.FOLDER) throw new MegaError(-14)
      return await setAttributes(this.context, node, withAttribute(node, name, value, official))
    } catch (error) {
      throw failedTo(`set node attribute: ${name}`, error)
    }
  }
}
