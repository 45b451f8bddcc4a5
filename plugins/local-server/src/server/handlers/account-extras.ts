import {ApiCode, fail} from '../protocol/api-error.js'
import type {ApiCommand} from '../protocol/command-fields.js'
import type {CommandContext, CommandTable} from './command-context.js'

/**
 * Commands the official SDK sends around login and `whoami -l` about services this server does not run:
 * announcements, payments, pending share keys for other users, upload throttling, time zones, transfer quota
 * and client event logs (sdk-dialect.md §4). Each gets what MEGA answers when there is nothing to tell; an
 * unknown-command -2 instead is not harmless everywhere (see `utt`).
 */
export const accountExtraCommands: CommandTable = {
  gpsa: {auth: 'session', run: () => fail(ApiCode.ENOENT, 'no announcement')},
  utt: {auth: 'session', run: () => []},
  utp: {auth: 'session', run: () => []},
  pk: {auth: 'session', run: pendingKeys},
  stp: {auth: 'session', run: () => fail(ApiCode.ENOENT, 'no throttling parameters')},
  ftz: {auth: 'session', run: () => TIME_ZONES},
  qbq: {auth: 'session', run: () => 0},
  log: {auth: 'none', run: () => 0},
}

/*
 * Where each answer comes from (src/commands.cpp of the SDK, megacmdexecuter.cpp of MEGAcmd):
 *   gpsa  ENOENT: "no public service announcement" (CommandGetPSA::procresult hands any error to the app).
 *         MEGAcmd's login takes ENOENT as "none" and reports any other error as "Failed to get PSA", exit 2
 *         (seen with -2, test/megacmd).
 *   utt, utp  an empty list of transactions / purchases. Their procresult parses whatever comes as rows of an
 *         array without checking for an error number, so a -2 there makes the next command of the batch
 *         (`usl` in `whoami -l`) unparseable (CommandGetUserTransactions / CommandGetUserPurchases::procresult).
 *   pk    ENOENT: no share keys pending from other users (CommandPendingKeys::procresult; MegaClient::sc_pk
 *         reads any error as "none"). `pk {d}` acknowledges keys up to `d`: nothing to drop here.
 *   stp   ENOENT: the SDK keeps its own upload-throttling defaults (CommandSetThrottlingParams::procresult;
 *         MegaClient::handleSetThrottleResult only logs the error).
 *   ftz   one time zone, UTC (CommandFetchTimeZone::procresult reads `choices` and `default`).
 *   qbq   0: the download fits the transfer quota, which this server does not meter
 *         (CommandQueryTransferQuota::procresult).
 *   log   0: the client's event report was received (CommandSendEvent::procresult ignores it anyway).
 */

const TIME_ZONES = {choices: {UTC: 0}, default: 'UTC'}

function pendingKeys(cmd: ApiCommand, _ctx: CommandContext): unknown {
  if (cmd.d !== undefined) return 0
  // `pk {u, h, k}` would hand a share key to another user: sharing with users is not supported (shares.ts).
  if (cmd.u !== undefined) fail(ApiCode.EACCESS, 'sharing with other users is not supported by the local server')
  fail(ApiCode.ENOENT, 'no pending keys')
}
