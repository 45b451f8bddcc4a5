import {Args, Flags} from '@oclif/core'
import {askSecret, MegaCommand, ProfileSettings, type ProxySetting, UsageError} from '@mega-shell/core'

export interface ProxyResult {
  proxy: ProxySetting | null
}

export default class Proxy extends MegaCommand<ProxyResult> {
  static override summary = 'Show or set the proxy the API client and transfers go through (MEGAcmd proxy)'
  static override description = `URL sets a proxy of your own (http://host:port or https://host:port; every API request and transfer
connection goes through it as an HTTP CONNECT tunnel), --auto the system's (the https_proxy, http_proxy and
no_proxy environment variables, as curl reads them), --none a direct connection. --username and --password
authenticate to your proxy (asked for on a terminal when only --username is given). Kept in the profile,
used from the next request on by every command and by the background server; works logged out. Unlike
MEGAcmd, the password is not printed.`
  static override aliases = ['proxy']
  static override examples = ['<%= config.bin %> proxy http://127.0.0.1:3128', '<%= config.bin %> proxy --auto', '<%= config.bin %> proxy --none', '<%= config.bin %> proxy']
  static override args = {
    url: Args.string({description: 'the proxy, http://host:port or https://host:port'}),
  }
  static override flags = {
    auto: Flags.boolean({description: 'use the system\'s proxy (https_proxy/http_proxy environment)', exclusive: ['none']}),
    none: Flags.boolean({description: 'connect directly', exclusive: ['auto', 'username', 'password']}),
    username: Flags.string({description: 'user name for the proxy'}),
    password: Flags.string({description: 'password for the proxy', dependsOn: ['username']}),
  }

  async run(): Promise<ProxyResult> {
    const {args, flags} = await this.parse(Proxy)
    const settings = new ProfileSettings()
    // MEGAcmd's lines (MEGAcmd src/megacmdexecuter.cpp "proxy" and setProxy).
    if (args.url !== undefined) {
      const url = proxyUrl(args.url)
      const password = flags.username === undefined ? undefined : flags.password ?? (await askSecret('Enter password:', '--password'))
      const setting: ProxySetting = {type: 'custom', url, ...(flags.username === undefined ? {} : {username: flags.username, password})}
      settings.setProxy(setting)
      this.out(`Proxy set: ${url} type = PROXY_CUSTOM`)
      return {proxy: shown(setting)}
    }
    if (flags.auto) {
      settings.setProxy({type: 'auto'})
      this.out('Proxy set:  type = PROXY_AUTO')
      return {proxy: {type: 'auto'}}
    }
    if (flags.none) {
      settings.setProxy({type: 'none'})
      this.out('Proxy unset correctly')
      return {proxy: {type: 'none'}}
    }
    if (flags.username !== undefined) throw new UsageError('Usage: proxy [URL|--auto|--none] [--username=USERNAME --password=PASSWORD]')
    const current = settings.proxy()
    if (!current) this.out('No proxy configuration found')
    else if (current.type === 'none') this.out('Proxy disabled')
    else {
      const lines = ['Proxy configured. ', ` Type = ${current.type === 'auto' ? 'AUTO' : 'CUSTOM'}`]
      if (current.url) lines.push(` URL = ${current.url}`)
      if (current.username !== undefined) lines.push(` username = ${current.username}`, ' password = ********')
      this.outLines(lines)
    }
    return {proxy: current ? shown(current) : null}
  }
}

/** An http:// or https:// proxy with a host; nothing else is one the tunnel code speaks to. */
function proxyUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new UsageError(`Invalid proxy URL: ${text} (expected http://host:port or https://host:port)`)
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) throw new UsageError(`Unsupported proxy: ${text} (expected http://host:port or https://host:port)`)
  if (url.username || url.password) throw new UsageError('Give the proxy\'s credentials with --username and --password, not in the URL')
  return `${url.protocol}//${url.host}`
}

/** The setting as --json shows it: never the password. */
function shown(setting: ProxySetting): ProxySetting {
  const {password: _password, ...rest} = setting
  return rest
}
