import {randomBytes} from 'node:crypto'
import {
  aesEcbEncrypt, b64encode, deriveKeysV2, encodePublicKey, encryptPrivateKey, generateRsaKeyPair, hashedAuthKey,
  isValidEmail, passwordKeyV1, saltV2, splitFullName, userHashV1,
} from '@mega-shell/core'
import {nowSeconds} from '../protocol/handles.js'
import {AttributeStore} from '../stores/attribute-store.js'
import {openDatabase, type Db} from '../stores/database.js'
import {insertUser, UserStore} from '../stores/user-store.js'
import {decodeBase32} from './totp.js'

export interface NewAccount {
  email: string
  password: string
  name?: string
  /** Login version: 2 (PBKDF2, the default, as every account made since 2018) or 1 (legacy AES key). */
  version?: 1 | 2
  /** Base32 TOTP secret; when set, `us` needs an `mfa` code (mega-api.md §3.2). */
  totpSecret?: string
  /** Storage quota in bytes (default 20 GiB, a free account). */
  storageMax?: number
  /**
   * Transfer quota in bytes: what the account may download within six hours (default 10 TiB, megajs's stand-in
   * for "unlimited"; transfer-quota.ts).
   */
  transferMax?: number
  /** PRO level `uq` reports (utype): 0 free (the default), 1-3 PRO I-III, 4 PRO Lite. */
  proLevel?: number
}

export interface CreatedAccount {
  userHandle: string
  email: string
  version: 1 | 2
  rootHandle: string
  inboxHandle: string
  rubbishHandle: string
}

/** Thrown when the email is taken; commands turn it into a clear message and a non-zero exit. */
export class AccountExistsError extends Error {
  override readonly name = 'AccountExistsError'
  constructor(readonly email: string) {
    super(`An account with the email ${email} already exists`)
  }
}

/** Thrown for an email that cannot be an account name. */
export class InvalidEmailError extends Error {
  override readonly name = 'InvalidEmailError'
  constructor(readonly email: string) {
    super(`Invalid email address: ${email}`)
  }
}

/** Thrown for an empty password, which no MEGA client lets a user choose. */
export class EmptyPasswordError extends Error {
  override readonly name = 'EmptyPasswordError'
  constructor() {
    super('The password cannot be empty')
  }
}

export const DEFAULT_STORAGE_MAX = 20 * 1024 ** 3
export const DEFAULT_TRANSFER_MAX = 10 * 1024 ** 4

/**
 * Creates a confirmed account in a data folder, with keys made the way a real client makes them at signup
 * (mega-api.md §2.1–§2.4, §3.5): a random master key stored as k = AES-ECB(passwordKey, masterKey); v2:
 * salt from a random 16-byte client random value, `uh` checked against hak = SHA-256(authKey)[0..16); v1: the
 * legacy password key and user hash; an RSA pair (2048 bits, e = 17) with privk under the master key; the `ts`
 * record ssc ‖ AES-ECB(masterKey, ssc); and the root, inbox (vault) and rubbish bin. The master key is
 * dropped afterwards: like the real service, the server can never decrypt anything.
 *
 * Works whether or not a server runs on the folder (WAL and a busy timeout arbitrate).
 */
export async function createAccount(dataDir: string, account: NewAccount): Promise<CreatedAccount> {
  // Refused before the folder and database are created, so a bad request leaves nothing behind.
  checkNewAccount(account)
  const db = openDatabase(dataDir)
  try {
    return insertAccount(db, account)
  } finally {
    db.close()
  }
}

function checkNewAccount(account: NewAccount): void {
  if (!isValidEmail(account.email.trim().toLowerCase())) throw new InvalidEmailError(account.email)
  if (account.password === '') throw new EmptyPasswordError()
  if (account.proLevel !== undefined && !(Number.isInteger(account.proLevel) && account.proLevel >= 0 && account.proLevel <= 4)) {
    throw new RangeError('The PRO level is 0 (free), 1-3 (PRO I-III) or 4 (PRO Lite)')
  }
  for (const [what, value] of [['storage', account.storageMax], ['transfer', account.transferMax]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) throw new RangeError(`The ${what} quota is a number of bytes, 0 or more`)
  }
}

function insertAccount(db: Db, account: NewAccount): CreatedAccount {
  const email = account.email.trim().toLowerCase()
  const users = new UserStore(db)
  if (users.byEmail(email)) throw new AccountExistsError(email)

  const totpSecret = account.totpSecret ? account.totpSecret.replace(/[\s=]/g, '').toUpperCase() : null
  if (totpSecret !== null && decodeBase32(totpSecret).length < 10) throw new Error('A TOTP secret needs at least 16 base32 characters')
  const version = account.version ?? 2
  const masterKey = randomBytes(16)
  let passwordKey: Buffer
  let uh: string
  let salt: string | null = null
  if (version === 2) {
    const saltBytes = saltV2(randomBytes(16))
    const derived = deriveKeysV2(account.password, saltBytes)
    passwordKey = derived.passwordKey
    uh = b64encode(hashedAuthKey(derived.authKey))
    salt = b64encode(saltBytes)
  } else {
    passwordKey = passwordKeyV1(account.password)
    uh = userHashV1(email, passwordKey)
  }
  const {publicKey, privateKey} = generateRsaKeyPair()
  const ssc = randomBytes(16)

  const now = nowSeconds()
  let created: CreatedAccount | undefined
  db.transaction(() => {
    if (users.byEmail(email)) throw new AccountExistsError(email)
    const row = insertUser(db, {
      email, name: account.name ?? '', version,
      k: b64encode(aesEcbEncrypt(passwordKey, masterKey)), uh, salt,
      pubk: encodePublicKey(publicKey), privk: encryptPrivateKey(privateKey, masterKey),
      ts: b64encode(Buffer.concat([ssc, aesEcbEncrypt(masterKey, ssc)])),
      totp_secret: totpSecret,
      storage_max: account.storageMax ?? DEFAULT_STORAGE_MAX,
      transfer_max: account.transferMax ?? DEFAULT_TRANSFER_MAX,
      confirmed: 1,
    }, now)
    if (account.proLevel) users.setProLevel(row.handle, account.proLevel)
    // The names a real signup stores as attributes (mega-api.md §3.5 v2 step 2), so contacts can read them.
    if (account.name) {
      const attributes = new AttributeStore(db)
      const {first, last} = splitFullName(account.name)
      attributes.set(row.handle, 'firstname', Buffer.from(first).toString('base64url'))
      if (last) attributes.set(row.handle, 'lastname', Buffer.from(last).toString('base64url'))
    }
    created = {userHandle: row.handle, email, version, rootHandle: row.root, inboxHandle: row.inbox, rubbishHandle: row.rubbish}
  }).immediate()
  masterKey.fill(0)
  return created!
}
