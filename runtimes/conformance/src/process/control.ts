import process from 'node:process'
import { closeApp, type App, type CloseOptions } from '@sluice/core'
import { createFixtureApp } from '../fixture-app'
import { parseFixtureFlags } from '../fixture-flags'
import { toFixtureOptions } from '../fixture-settings'

/** The fixture app and port an out-of-process entry serves, from its command line. */
export function fixtureFromArgs(): { app: App; port: number } {
  const { port, settings } = parseFixtureFlags(process.argv.slice(2))
  return { app: createFixtureApp(toFixtureOptions(settings)), port }
}

/**
 * Lets the process that started this fixture close it: a line `close {"graceMs":..}` on stdin
 * ends the streams gracefully (`closeApp`), reports the tags whose `finally` ran as one line
 * `finalized [..]`, stops the server and exits. When stdin ends (that process is gone) this one
 * exits too, so a fixture never outlives its suite.
 */
export function closeOnStdin(app: App, stop: () => Promise<void>): void {
  let buffer = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk: string) => {
    buffer += chunk
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end).trim()
      buffer = buffer.slice(end + 1)
      if (line.startsWith('close')) void shutdown(app, parse(line.slice('close'.length)), stop)
    }
  })
  process.stdin.on('end', () => process.exit(0))
}

function parse(text: string): CloseOptions {
  return text.trim() === '' ? {} : (JSON.parse(text) as CloseOptions)
}

async function shutdown(app: App, options: CloseOptions, stop: () => Promise<void>): Promise<void> {
  await closeApp(app, options)
  const { finalized } = app.options.services as { finalized: Set<string> }
  console.log(`finalized ${JSON.stringify([...finalized])}`)
  await stop()
  process.exit(0)
}
