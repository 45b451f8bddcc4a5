import {ApiCode, fail} from '../protocol/api-error.js'
import type {CommandTable} from './command-context.js'

/**
 * Commands the official SDK sends around login and `whoami -l` about services this server does not run:
 * announcements, payments, upload throttling, time zones and client event logs (sdk-dialect.md §4); the transfer
 * quota query `qbq` is answered by downloads.ts. Each gets what MEGA answers when there is nothing to tell; an
 * unknown-command -2 instead is not harmless everywhere (see `utt`).
 */
export const accountExtraCommands: CommandTable = {
  gpsa: {auth: 'session', run: () => fail(ApiCode.ENOENT, 'no announcement')},
  utt: {auth: 'session', run: () => []},
  utp: {auth: 'session', run: () => []},
  stp: {auth: 'session', run: () => fail(ApiCode.ENOENT, 'no throttling parameters')},
  ftz: {auth: 'session', run: () => TIME_ZONES},
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
 *   stp   ENOENT: the SDK keeps its own upload-throttling defaults (CommandSetThrottlingParams::procresult;
 *         MegaClient::handleSetThrottleResult only logs the error).
 *   ftz   one time zone, UTC (CommandFetchTimeZone::procresult reads `choices` and `default`).
 *   log   0: the client's event report was received (CommandSendEvent::procresult ignores it anyway).
 */

const TIME_ZONES = {choices: {UTC: 0}, default: 'UTC'}
