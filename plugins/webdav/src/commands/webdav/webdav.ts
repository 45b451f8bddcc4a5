import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {CommandError, ExitCode, MegaArgs, MegaCommand, NotFoundError, UsageError} from '@mega-shell/core'
import {callWebdav, DEFAULT_PORT, type ListReply, type ServedLocation, type ServeReply, type StopReply} from '../../service/webdav-protocol.js'

export interface WebdavResult {
  /** The listing (no argument). */
  locations?: ServedLocation[]
  /** The location served. */
  served?: ServedLocation
  /** -d: the locations no longer served. */
  stopped?: ServedLocation[]
}

const USAGE = 'webdav [-d (--all | remotepath)] [remotepath [--port=PORT] [--public] [--tls --certificate=/path/certificate.pem --key=/path/certificate.key]]'

export default class Webdav extends MegaCommand<WebdavResult> {
  static override summary = 'Serve a cloud folder or file to WebDAV clients, list what is served, or stop serving'
  static override description = `With a remote path, serves it from the background server over WebDAV and prints its URL (MEGAcmd's
"Serving via webdav <path>: http://127.0.0.1:PORT/<handle>/<name>"). Any WebDAV client reads and writes it: a file
manager, rclone (--webdav-vendor=other), cadaver, curl, davfs2, a video player for streaming (byte ranges: only the
bytes asked for are fetched). What is written goes to the cloud as real MEGA files (a replaced file becomes a version);
DELETE moves to the rubbish bin, not for good; MOVE and COPY are done by MEGA's servers.
The server listens on 127.0.0.1 (all addresses with --public; then use --tls with a certificate and key, or anyone
on the network reads your files: a warning says so) on port 4443 unless --port says otherwise. The settings are
those of the first location served: to change them, stop serving everything (-d --all) and serve again. Served
locations come back when the background server restarts, while an account is logged in.
Without arguments, lists the served locations. -d stops serving one path, or with --all every path.
Exit codes: 53 a remote path that does not exist or is not served; 54 a port in use; 55 a certificate or key that
cannot be read; 51 a certificate and key that do not match, or bad arguments.`
  static override aliases = ['webdav']
  static override examples = [
    '<%= config.bin %> webdav /Videos',
    '<%= config.bin %> webdav /Documents --port=8080',
    '<%= config.bin %> webdav /Shared --public --tls --certificate=cert.pem --key=key.pem',
    '<%= config.bin %> webdav',
    '<%= config.bin %> webdav -d /Videos',
    '<%= config.bin %> webdav -d --all',
  ]
  static override args = {
    remotepath: MegaArgs.string({description: 'remote folder or file to serve (or, with -d, to stop serving)'}),
  }
  static override flags = {
    delete: Flags.boolean({char: 'd', description: 'stop serving the path (or with --all, every path)'}),
    all: Flags.boolean({description: 'with -d: stop serving every path'}),
    port: Flags.integer({min: 1, max: 65535, description: `port to listen on (default ${DEFAULT_PORT})`, helpValue: 'PORT'}),
    public: Flags.boolean({description: 'listen on every address, not only 127.0.0.1'}),
    tls: Flags.boolean({description: 'serve HTTPS with --certificate and --key'}),
    certificate: Flags.string({description: 'PEM certificate for --tls', helpValue: '/path/certificate.pem'}),
    key: Flags.string({description: 'PEM private key for --tls', helpValue: '/path/certificate.key'}),
  }

  async run(): Promise<WebdavResult> {
    const {args, flags} = await this.parse(Webdav)
    const root = this.config.root
    if (flags.delete) {
      if (Boolean(flags.all) === (args.remotepath !== undefined)) throw new UsageError(`-d takes a remote path, or --all. Usage: ${USAGE}`)
      if (flags.all) {
        const {stopped} = await callWebdav<StopReply>(root, 'stop', {})
        this.out('Wevdav server stopped: no path will be served.')
        return {stopped}
      }
      // A served folder deleted since is still found by the path it was served with.
      const node = await this.remote(args.remotepath!).catch(() => undefined)
      const handle = node?.handle ?? (await callWebdav<ListReply>(root, 'list')).locations.find((l) => l.path === args.remotepath)?.handle
      // MEGAcmd's two messages (megacmdexecuter.cpp): a path that does not exist, and one that is not served.
      if (!handle) throw new NotFoundError(node ? `${args.remotepath} is not served via webdav` : `Path not found: ${args.remotepath}`)
      const {stopped} = await callWebdav<StopReply>(root, 'stop', {handle}).catch((error: unknown) => {
        if (error instanceof CommandError && error.exitCode === ExitCode.NOTFOUND) throw new NotFoundError(`${args.remotepath} is not served via webdav`)
        throw error
      })
      this.out(`${stopped[0].path} no longer served via webdav`)
      return {stopped}
    }
    if (args.remotepath === undefined) {
      if (flags.all || flags.port !== undefined || flags.public || flags.tls) throw new UsageError(`Usage: ${USAGE}`)
      const {locations} = await callWebdav<ListReply>(root, 'list')
      // MEGAcmd's words when nothing is served, its server stopped with the last path (megacmdexecuter.cpp, webdav).
      if (locations.length === 0) this.out('Webdav server might not running. Add a new location to serve.')
      else this.outLines(['WEBDAV SERVED LOCATIONS:', ...locations.map((l) => `${l.path}: ${l.url}`)])
      return {locations}
    }
    if (Boolean(flags.tls) !== (flags.certificate !== undefined && flags.key !== undefined)) throw new UsageError(`--tls needs both --certificate and --key, and they need --tls. Usage: ${USAGE}`)
    const node = await this.remote(args.remotepath)
    const path = this.resolver().pathOf(node)
    const settings = {
      port: flags.port ?? DEFAULT_PORT, public: Boolean(flags.public),
      tls: flags.tls ? {certificate: resolve(flags.certificate!), key: resolve(flags.key!)} : null,
    }
    if (settings.public && !settings.tls) this.warn('Serving on every address without --tls: anyone who can reach this machine can read and change the served files')
    const reply = await callWebdav<ServeReply>(root, 'serve', {handle: node.handle, path, settings})
    const asked = flags.port !== undefined || flags.public || flags.tls
    if (reply.settingsIgnored && asked) this.warn('The WebDAV server runs already with other settings (port, --public, --tls): they stay until every path is stopped (webdav -d --all)')
    this.out(`Serving via webdav ${path}: ${reply.location.url}`)
    return {served: reply.location}
  }

  private async remote(path: string) {
    const ctx = this.context
    ctx.requireSession()
    await ctx.ready()
    const node = this.resolver().resolveOne(path)
    if (!node) throw new NotFoundError(`${path} not found`)
    return node
  }
}
