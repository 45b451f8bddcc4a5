import {currentProfileSettings} from '../config/profile-settings.js'

/**
 * The `ssl` field of the requests for transfer URLs (`u`, `g`, `ufa`; mega-api.md §5.1): 2 asks the API for https
 * URLs, 0 lets it give plain http ones (the data is encrypted already). It follows the profile's `https` setting,
 * as the SDK follows `usehttps` (meganz/sdk src/commands.cpp CommandPutFile, CommandGetFile's FileFindCommand,
 * HttpReqCommandPutFA: `if (client->usehttps) arg("ssl", 2)`; MEGAcmd `https on` calls MegaApi::useHttpsOnly). The
 * URL the API answers with is used as given, whatever its scheme: the transfer client speaks both (http-pool.ts).
 * Read per request: the file is tiny, a transfer costs far more, and a server's command host sees `https on/off`
 * from another client at once.
 */
export function transferSsl(): 0 | 2 {
  return currentProfileSettings().https ? 2 : 0
}
