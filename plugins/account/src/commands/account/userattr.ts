import {Flags} from '@oclif/core'
import {
  attributeText, CommandError, ExitCode, failedTo, fetchUserAttribute, findUserAttribute, MegaArgs, MegaCommand, MegaError,
  printable, storeUserAttribute, USER_ATTRIBUTES, UsageError, type UserAttributeInfo, type UserAttributeValue,
} from '@mega-shell/core'

export interface UserAttributeEntry {
  name: string
  longName: string
  /** Readable value; null when it is binary or cannot be decrypted ("NOT PRINTABLE"). Absent with --list. */
  value?: string | null
}

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
    const user = flags.user ?? session.userHandle
    const masterKey = flags.user ? null : ctx.masterKey
    const render = (info: UserAttributeInfo, fetched: UserAttributeValue): UserAttributeEntry => {
      const value = attributeText(info.name, fetched.value, masterKey)
      this.out(`\t${info.longName} (${info.name}) = ${value === null ? 'NOT PRINTABLE' : printable(value)}`)
      return {name: info.name, longName: info.longName, value}
    }
    const nameOnly = (info: UserAttributeInfo): UserAttributeEntry => {
      this.out(`${info.longName} (${info.name})`)
      return {name: info.name, longName: info.longName}
    }
    const read = async (info: UserAttributeInfo): Promise<UserAttributeValue> => {
      let fetched
      try {
        fetched = await fetchUserAttribute(ctx.api, user, info.name)
      } catch (error) {
        throw failedTo(`get user attribute ${info.name}`, error)
      }
      if (!fetched) throw failedTo(`get user attribute ${info.name}`, new MegaError(-9))
      return fetched
    }

    if (!args.attribute) {
      if (flags.set) throw new UsageError('Attribute not specified')
      const listed = USER_ATTRIBUTES.filter((a) => a.listed)
      if (flags.list) return {user: flags.user, attributes: listed.map(nameOnly)}
      // Fetched together (one batch), printed in order. MEGAcmd logs an error for every attribute that is not
      // set (or not visible to us); here those are left out.
      const values = await Promise.all(listed.map((info) => read(info).catch((error: unknown) => {
        if (error instanceof MegaError && (error.code === -9 || error.code === -11)) return null
        throw error
      })))
      const attributes = listed.flatMap((info, i) => {
        const fetched = values[i]
        return fetched ? [render(info, fetched)] : []
      })
      return {user: flags.user, attributes}
    }

    const info = findUserAttribute(args.attribute)
    if (!info) throw new CommandError(`Attribute not found: ${args.attribute}`, ExitCode.NOTFOUND)
    if (flags.set) {
      // An absent value is a mistake, not a wish to empty the attribute (MEGAcmd requires `-s attribute value`).
      if (args.value === undefined) throw new UsageError('Missing the value: userattr -s attribute value')
      try {
        // The SDK's generic setter refuses keys, records and attributes with their own setters (setUserAttribute).
        if (info.setError) throw new MegaError(info.setError)
        await storeUserAttribute(ctx.api, info.name, Buffer.from(args.value, 'utf8'))
      } catch (error) {
        throw failedTo(`set user attribute ${info.name}`, error)
      }
      this.out(`User attribute ${info.name} updated correctly`)
      return {updated: info.name, attributes: [flags.list ? nameOnly(info) : render(info, await read(info))]}
    }
    return {user: flags.user, attributes: [flags.list ? nameOnly(info) : render(info, await read(info))]}
  }
}
