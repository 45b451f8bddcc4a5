/** MEGAcmd's prompt when logged out (megacmd.h `prompts[COMMAND]`). */
const LOGGED_OUT_PROMPT = 'MEGA CMD> '

/** What the prompt shows: the account and the remote cwd (undefined when logged out). */
export interface PromptState {
  email?: string
  cwd?: string
}

/** `email:/remote/cwd$ ` (MEGAcmd MegaCmdExecuter::updateprompt), or `MEGA CMD> ` logged out. */
export function promptText(state: PromptState): string {
  if (!state.email || !state.cwd) return LOGGED_OUT_PROMPT
  return `${state.email}:${state.cwd}$ `
}
