import {Flags} from '@oclif/core'
import {CommandError, ExitCode, findUserAttribute, MegaArgs, MegaCommand, printable, UsageError} from '@mega-shell/core'
import {AttributeReader, listedAttributes, nameOnly, type UserAttributeEntry} from '../../attributes/attribute-reader.js'

export type {UserAttributeEntry}

export interface UserattrResult {
  user?: string
  updated?: string
  attributes: UserAttributeEntry[]
}

export default class Userattr extends MegaCommand<UserattrResult> {
  static override summary = 'List or set user attributes'
  static override description = `Without an attribute: every attribute that is set (of MEGAcmd's list). With one: that attribute.
-s sets one of your own attributes. --user reads another user's (only what they let you see).
Encrypted (*) attributes are decrypted with your master key when possible; other binary values print as NOT PRINTABLE.`
  static override aliases = ['userattr']
  static override examples = ['<%= config.bin %> userattr firstname', '<%= config.bin %> userattr -s lastname Smith', '<%= config.bin %> userattr --list']
  static override args = {
    attribute: MegaArgs.string({description: 'attribute name, e.g. firstname, ^!lang'}),
    value: MegaArgs.string({description: 'new value (with -s)'}),
  }
  static override flags = {
    set: Flags.boolean({char: 's', description: 'set the attribute to the value'}),
    user: Flags.string({description: 'email of the user to query'}),
    list: Flags.boolean({description: 'list attribute names only'}),
  }

  async run(): Promise<UserattrResult> {
    const {args, flags} = await this.parse(Userattr)
    const ctx = this.context
    const session = ctx.requireSession()
    if (flags.set && flags.user) throw new UsageError("Can't change other user attributes")
    const reader = new AttributeReader(ctx.api, flags.user ?? session.userHandle, flags.user ? null : ctx.masterKey)

    if (!args.attribute) {
      if (flags.set) throw new UsageError('Attribute not specified')
      const attributes = flags.list ? listedAttributes().map(nameOnly) : await reader.readAll()
      return {user: flags.user, attributes: this.print(attributes)}
    }
    const info = findUserAttribute(args.attribute)
    if (!info) throw new CommandError(`Attribute not found: ${args.attribute}`, ExitCode.NOTFOUND)
    if (flags.set) {
      // An absent value is a mistake, not a wish to empty the attribute (MEGAcmd requires `-s attribute value`).
      if (args.value === undefined) throw new UsageError('Missing the value: userattr -s attribute value')
      await reader.write(info, args.value)
      this.out(`User attribute ${info.name} updated correctly`)
    }
    const attributes = this.print([flags.list ? nameOnly(info) : await reader.read(info)])
    return flags.set ? {updated: info.name, attributes} : {user: flags.user, attributes}
  }

  /** MEGAcmd's lines: `\t<LONG> (<name>) = <value>`, or `<LONG> (<name>)` for --list. */
  private print(entries: UserAttributeEntry[]): UserAttributeEntry[] {
    for (const entry of entries) {
      if (!('value' in entry)) this.out(`${entry.longName} (${entry.name})`)
      else this.out(`\t${entry.longName} (${entry.name}) = ${entry.value === null ? 'NOT PRINTABLE' : printable(entry.value ?? '')}`)
    }
    return entries
  }
}
