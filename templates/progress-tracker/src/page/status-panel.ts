import { createClient, SluiceClientError, type StatusEvent } from '../client.gen'
import { appendLog, byId, clock } from './dom'

// Enough to see what happened lately without the panel outgrowing the job beside it.
const maxLines = 8

/**
 * The status panel: the progressive route read as a stream. Its first event is the value a
 * plain GET answers with at once; every later one is an update the server pushed.
 */
export async function runStatusPanel(baseUrl: string): Promise<void> {
  const panel = byId('status', HTMLElement)
  const log = byId('status-log', HTMLOListElement)
  const api = createClient({ baseUrl })
  let updates = 0
  try {
    for await (const status of api.status.stream()) {
      show(status)
      const first = updates === 0
      panel.dataset['phase'] = first ? 'initial' : 'live'
      panel.dataset['updates'] = String(updates)
      byId('status-phase', HTMLElement).textContent = first ? 'Answered at once' : `Live · ${updates} updates`
      const text = first
        ? `answered at once: ${status.running} running, ${status.finished} finished`
        : status.lastChange
      // To the second: the panel is narrow, and updates come at a human pace.
      appendLog(
        log,
        { kind: first ? 'meta' : 'step', text, time: clock().slice(0, 8) },
        { newestFirst: true },
      )
      while (log.children.length > maxLines) log.lastElementChild?.remove()
      updates++
    }
  } catch (error) {
    // The client already retried a dropped stream; this is it giving up (the server is gone).
    panel.dataset['phase'] = 'failed'
    const code = error instanceof SluiceClientError ? error.code : 'ERROR'
    byId('status-phase', HTMLElement).textContent = `Disconnected (${code})`
  }
}

function show(status: StatusEvent): void {
  byId('stat-running', HTMLElement).textContent = String(status.running)
  byId('stat-finished', HTMLElement).textContent = String(status.finished)
  byId('stat-failed', HTMLElement).textContent = String(status.failed)
}
