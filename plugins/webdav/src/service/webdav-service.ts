import {join} from 'node:path'
import {CommandError, type DaemonService, ExitCode, type JsonValue, loggedInContext, type ServiceContext} from '@mega-shell/core'
import type {DavFront} from '../server/dav-front.js'
import {
  type ListReply, type ServedLocation, type ServeReply, type ServeRequest, type ServerSettings, type StopReply, type StopRequest, WEBDAV_SERVICE,
} from './webdav-protocol.js'

/** What the service keeps across restarts (`<home>/services/webdav.json`): MEGAcmd's webdav_served_locations. */
interface Kept {
  settings: ServerSettings | null
  locations: Array<{handle: string; path: string}>
}

/**
 * The background server's WebDAV server (`webdav`): the served locations and the settings of the HTTP server, kept in
 * the service's settings so that they come back when the server restarts, served while an account is logged in
 * (MEGAcmd restores them at login and stops serving at logout).
 */
export class WebdavService implements DaemonService {
  readonly name = WEBDAV_SERVICE
  readonly handlers = {
    serve: (params: JsonValue | undefined) => this.serve(params as unknown as ServeRequest) as unknown as Promise<JsonValue>,
    list: () => this.list() as unknown as Promise<JsonValue>,
    stop: (params: JsonValue | undefined) => this.stopServing((params ?? {}) as unknown as StopRequest) as unknown as Promise<JsonValue>,
  }

  private context?: ServiceContext
  /** The HTTP server, from the moment it starts listening: a request that comes meanwhile waits for the same one. */
  private front?: Promise<DavFront>
  /** Once it listens, for status(). */
  private listening?: DavFront
  /** The latest turn of following the session: a listing waits for the kept locations to be served (or not). */
  private following: Promise<void> = Promise.resolve()

  start(context: ServiceContext): void {
    this.context = context
    context.onSessionChange(() => void (this.following = this.follow()))
    this.following = this.follow()
  }

  async stop(): Promise<void> {
    const front = this.front
    this.front = undefined
    this.listening = undefined
    await (await front?.catch(() => undefined))?.stop()
  }

  status() {
    const {locations} = this.kept()
    const front = this.listening
    return {state: front ? 'running' : 'idle', message: front ? `${locations.length} location(s) on ${front.origin}` : 'not serving'}
  }

  private kept(): Kept {
    const settings = this.context!.settings
    return {settings: settings.get<ServerSettings & JsonValue>('server') ?? null, locations: settings.get<Array<{handle: string; path: string}> & JsonValue>('locations') ?? []}
  }

  private keep(kept: Kept): void {
    this.context!.settings.set('server', kept.settings as unknown as JsonValue)
    this.context!.settings.set('locations', kept.locations as unknown as JsonValue)
  }

  /** Serves the kept locations while logged in; stops at logout. */
  private async follow(): Promise<void> {
    const loggedIn = Boolean(this.context?.mega()?.session)
    const {settings, locations} = this.kept()
    if (!loggedIn || !settings || locations.length === 0) return void (await this.stop())
    try {
      const front = await this.ensureFront(settings)
      for (const location of locations) front.mount(location.handle)
    } catch (error) {
      this.context!.log.error(`cannot serve the kept locations: ${(error as Error).message}`)
    }
  }

  private ensureFront(settings: ServerSettings): Promise<DavFront> {
    if (this.front) return this.front
    const context = this.context!
    // webdav-server is loaded only when something is served: half a second of the server's start-up otherwise.
    const starting = import('../server/dav-front.js').then(({DavFront}) =>
      DavFront.start({settings, mega: () => context.mega(), spoolDir: join(context.home, 'webdav-spool'), log: (line) => context.log.warn(line)}))
    this.front = starting.then((front) => {
      context.log.info(`serving on ${front.origin}${settings.public ? ' (all addresses)' : ''}`)
      this.listening = front
      return front
    }, (error: unknown) => {
      // A port in use, a certificate that cannot be read: the next serve may try other settings.
      this.front = undefined
      throw error
    })
    return this.front
  }

  private async serve(request: ServeRequest): Promise<ServeReply> {
    loggedInContext(this.context)
    const kept = this.kept()
    // MEGAcmd: the server's settings are those of the first location served.
    const running = Boolean(this.front)
    const settings = running && kept.settings ? kept.settings : request.settings
    const front = await this.ensureFront(settings)
    front.mount(request.handle)
    const settingsIgnored = settings !== request.settings && JSON.stringify(settings) !== JSON.stringify(request.settings)
    this.keep({settings, locations: [...kept.locations.filter((l) => l.handle !== request.handle), {handle: request.handle, path: request.path}]})
    return {location: located({handle: request.handle, path: request.path}, settings, this.context), ...(settingsIgnored ? {settingsIgnored} : {})}
  }

  /** After a restart, the kept locations are listed once they are served again: a script may use a URL at once. */
  private async list(): Promise<ListReply> {
    await this.following
    const kept = this.kept()
    return {locations: kept.locations.map((l) => located(l, kept.settings, this.context)), settings: kept.settings}
  }

  private async stopServing(request: StopRequest): Promise<StopReply> {
    const kept = this.kept()
    const stopped = kept.locations.filter((l) => request.handle === undefined || l.handle === request.handle)
    if (request.handle !== undefined && stopped.length === 0) throw new CommandError('That path is not served via webdav', ExitCode.NOTFOUND)
    const stoppedLocations = stopped.map((l) => located(l, kept.settings, this.context))
    const front = await this.front?.catch(() => undefined)
    for (const location of stopped) front?.unmount(location.handle)
    const left = kept.locations.filter((l) => !stopped.includes(l))
    this.keep({settings: left.length > 0 ? kept.settings : null, locations: left})
    if (left.length === 0) await this.stop()
    return {stopped: stoppedLocations}
  }
}

/** A kept location with its URL: `http[s]://127.0.0.1:PORT/<handle>/<name>` (the node's name now). */
function located(location: {handle: string; path: string}, settings: ServerSettings | null, context: ServiceContext | undefined): ServedLocation {
  const node = context?.mega()?.nodes.get(location.handle)
  const name = node?.name ?? location.path.split('/').pop() ?? ''
  const origin = `${settings?.tls ? 'https' : 'http'}://127.0.0.1:${settings?.port ?? 0}`
  return {handle: location.handle, path: location.path, url: `${origin}/${location.handle}/${encodeURIComponent(name)}`}
}
