/**
 * The API requests of this process, for the background server's log (`log -s DEBUG`, daemon-log.ts api()). A
 * request is logged by its command names and a few plain fields, never whole: commands carry keys, attributes and
 * login hashes, and their URLs the session id. Nothing is logged until a process sets where the lines go (the
 * server for its live feed, a command host for the commands it runs); a one-shot `mega` command logs nothing.
 */
export type RequestLogSink = (line: string) => void

/** Fields shown: the command, transfer scheme (`ssl`), sizes and versions; handles, keys and names are left out. */
const PLAIN_FIELDS = ['a', 'ssl', 's', 'v', 'g', 'c', 'r'] as const

let sink: RequestLogSink | undefined

export function setRequestLog(next: RequestLogSink | undefined): void {
  sink = next
}

/** `cs [{"a":"u","ssl":0,"s":5}]`, or the endpoint alone for requests without commands (`sc`). */
export function logRequest(endpoint: string, commands?: readonly object[]): void {
  if (!sink) return
  sink(commands ? `${endpoint} ${JSON.stringify(commands.map(plainFields))}` : endpoint)
}

function plainFields(command: object): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const name of PLAIN_FIELDS) {
    const value = (command as Record<string, unknown>)[name]
    if (typeof value === 'number' || (typeof value === 'string' && name === 'a')) fields[name] = value
  }
  return fields
}
