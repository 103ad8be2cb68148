// Starts a real AT Protocol network for Plein's tests: a PLC directory held
// in memory and a PDS on SQLite (TestNetworkNoAppView of @atproto/dev-env),
// both listening on loopback ports the operating system chose. Nothing else
// is created: no accounts, no AppView. Once both answer, one JSON line goes
// to stdout:
//
//   {"pds":"http://localhost:PORT","plc":"http://localhost:PORT","adminPassword":"..."}
//
// The network runs until stdin closes, SIGTERM or SIGINT, then stops and
// removes its data. Logs go to stderr. Run it with the Node 22 that
// install.sh installs: node_modules/.bin/node start.mjs
import http from 'node:http'
import module from 'node:module'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Compiled code is kept between runs, which shortens the start.
module.enableCompileCache?.(new URL('node_modules/.cache/node-compile', import.meta.url).pathname)

// Listen on loopback only: the PDS and the PLC server listen on a bare
// port, which would otherwise mean every interface.
const listen = http.Server.prototype.listen
http.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') {
    args.splice(1, 0, '127.0.0.1')
  }
  return listen.apply(this, args)
}

// Everything the network writes (SQLite files, blobs, port reservations)
// goes into one folder, removed when it stops.
const dir = await mkdtemp(join(tmpdir(), 'plein-pds-'))
process.env.TMPDIR = dir

let stopping = false
let starting = Promise.resolve(undefined)

async function stop(code) {
  if (stopping) return
  stopping = true
  try {
    const network = await starting.catch(() => undefined)
    await network?.close()
  } catch (err) {
    console.error('stopping the test network:', err)
    code ||= 1
  }
  module.flushCompileCache?.()
  await rm(dir, { recursive: true, force: true }).catch((err) =>
    console.error('removing the test network data:', err),
  )
  process.exit(code)
}

process.on('SIGTERM', () => stop(0))
process.on('SIGINT', () => stop(0))
process.stdin.on('end', () => stop(0))
process.stdin.on('error', () => stop(0))
process.stdin.resume()

// The network module alone: the package's index also loads the AppView and
// Ozone, which this network does not run.
const { TestNetworkNoAppView } = await import(
  './node_modules/@atproto/dev-env/dist/network-no-appview.js'
)
const { ADMIN_PASSWORD } = await import('./node_modules/@atproto/dev-env/dist/const.js')

starting = TestNetworkNoAppView.create()
try {
  const network = await starting
  if (!stopping) {
    process.stdout.write(
      JSON.stringify({
        pds: network.pds.url,
        plc: network.plc.url,
        adminPassword: ADMIN_PASSWORD,
      }) + '\n',
    )
  }
} catch (err) {
  console.error('starting the test network:', err)
  await stop(1)
}
