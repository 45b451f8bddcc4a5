import {
  ApiClient, attributeText, failedTo, fetchUserAttribute, MegaError, storeUserAttribute, USER_ATTRIBUTES,
  type UserAttributeInfo,
} from '@mega-shell/core'

/** One attribute as `userattr` shows it. */
export interface UserAttributeEntry {
  name: string
  longName: string
  /** Readable value; null when it is binary or cannot be decrypted ("NOT PRINTABLE"). Absent with --list. */
  value?: string | null
}

/**
 * Reads and writes one user's attributes for `userattr`: the user's own (decrypting `*` attributes with the
 * master key) or, with `user` set, someone else's (only what they let us see; mega-api.md §3.9).
 */
export class AttributeReader {
  constructor(private readonly api: ApiClient, private readonly user: string, private readonly masterKey: Buffer | null) {}

  /** The attribute's readable entry, or MEGAcmd's "Failed to get user attribute" (-9 when it is not set). */
  async read(info: UserAttributeInfo): Promise<UserAttributeEntry> {
    let fetched
    try {
      fetched = await fetchUserAttribute(this.api, this.user, info.name)
    } catch (error) {
      throw failedTo(`get user attribute ${info.name}`, error)
    }
    if (!fetched) throw failedTo(`get user attribute ${info.name}`, new MegaError(-9))
    return {name: info.name, longName: info.longName, value: attributeText(info.name, fetched.value, this.masterKey)}
  }

  /**
   * Every attribute of MEGAcmd's list that is set and visible to us, fetched together (one batch), in list
   * order. MEGAcmd logs an error for each one that is not set (or not visible); here those are left out.
   */
  async readAll(): Promise<UserAttributeEntry[]> {
    const entries = await Promise.all(listedAttributes().map((info) => this.read(info).catch((error: unknown) => {
      if (error instanceof MegaError && (error.code === -9 || error.code === -11)) return null
      throw error
    })))
    return entries.filter((entry): entry is UserAttributeEntry => entry !== null)
  }

  /** Sets one of our own attributes to a UTF-8 value. */
  async write(info: UserAttributeInfo, value: string): Promise<void> {
    try {
      // The SDK's generic setter refuses keys, records and attributes with their own setters (setUserAttribute).
      if (info.setError) throw new MegaError(info.setError)
      await storeUserAttribute(this.api, info.name, Buffer.from(value, 'utf8'))
    } catch (error) {
      throw failedTo(`set user attribute ${info.name}`, error)
    }
  }
}

/** The attributes `userattr` lists when none is named (MEGAcmd's table). */
export function listedAttributes(): UserAttributeInfo[] {
  return USER_ATTRIBUTES.filter((a) => a.listed)
}

/** An entry without its value (`--list`). */
export function nameOnly(info: UserAttributeInfo): UserAttributeEntry {
  return {name: info.name, longName: info.longName}
}
