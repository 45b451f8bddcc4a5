import {expect} from 'chai'
import {DaemonLog} from '../../src/daemon/daemon-log.js'
import {ServiceHub} from '../../src/daemon/service-hub.js'
import type {DaemonService} from '../../src/daemon/services.js'
import type {TreeChange} from '../../src/session/tree-sync.js'
import {tempDir} from '../helpers/cli.js'

/** A service that records what the hub does with it; its stop() forgets its tree listener on purpose. */
function recorder(name: string, events: string[]): DaemonService {
  return {
    name,
    start(context) {
      events.push(`${name}: start`)
      context.onTreeChange((change) => events.push(`${name}: ${change.packets.map((packet) => packet.a).join(',')}`))
    },
    stop() {
      events.push(`${name}: stop`)
    },
    handlers: {ping: () => name},
  }
}

const change = (a: string): TreeChange => ({reloaded: false, packets: [{a}]})

describe('the server\'s plugin services after a plugin change (service-hub usePluginServices)', function () {
  it('starts new services, stops and forgets removed ones (listeners included), keeps the others running', async function () {
    const events: string[] = []
    const hub = new ServiceHub(tempDir('mega-hub-'), new DaemonLog(tempDir('mega-hub-log-')), () => undefined)
    hub.register(recorder('server', events))
    const first = hub.pluginRegistry()
    first.register(recorder('kept', events))
    first.register(recorder('removed', events))
    await hub.usePluginServices(first)
    expect(events.splice(0)).to.deep.equal(['server: start', 'kept: start', 'removed: start'])

    // A plugin was uninstalled and another linked: the hook runs again with the new plugin list.
    const second = hub.pluginRegistry()
    second.register(recorder('kept', events))
    second.register(recorder('added', events))
    await hub.usePluginServices(second)
    expect(events.splice(0)).to.deep.equal(['removed: stop', 'added: start'])
    hub.treeChanged(change('t'))
    expect(events.splice(0), 'the removed service hears nothing more').to.deep.equal(['server: t', 'kept: t', 'added: t'])
    expect((await hub.reports()).map((report) => report.name)).to.deep.equal(['server', 'kept', 'added'])
    expect(await hub.call('added', 'ping', undefined)).to.equal('added')
    try {
      await hub.call('removed', 'ping', undefined)
      expect.fail('a removed service answered')
    } catch (error) {
      expect(error).to.deep.include({exitCode: 53, message: 'The server has no service "removed"'})
    }
  })

  it('refuses a plugin service that takes the name of one of the server\'s own', function () {
    const hub = new ServiceHub(tempDir('mega-hub-'), new DaemonLog(tempDir('mega-hub-log-')), () => undefined)
    hub.register(recorder('server', []))
    const registry = hub.pluginRegistry()
    expect(() => registry.register(recorder('server', []))).to.throw('a service named "server" is already registered')
    expect(() => registry.register(recorder('Bad Name', []))).to.throw('invalid service name "Bad Name"')
  })
})
