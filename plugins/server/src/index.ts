/**
 * @mega-shell/plugin-server: the background server's commands (`server`, `server:start|stop|status`, `quit`).
 * The server itself is in the core (src/daemon/), where the thin clients and the plugins' services meet it.
 */
export {}
