import type { ConnectionState } from '@sluice/client'
import {
  createClient,
  SluiceClientError,
  type RunJobInput,
  type RunJobLogData,
  type RunJobOutput,
  type RunJobProgressData,
} from '../client.gen'
import { createTrackedFetch, type Connect } from './connection'
import { appendLog, byId } from './dom'

type JobState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled'

const badges: Record<JobState, string> = {
  idle: 'Idle',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

/** The job panel: a form that starts a job, its progress bar, its outcome and its event log. */
export function createJobPanel(baseUrl: string): void {
  const panel = byId('job', HTMLElement)
  const form = byId('job-form', HTMLFormElement)
  const log = byId('log', HTMLOListElement)
  const dropButton = byId('drop', HTMLButtonElement)
  const cancelButton = byId('cancel', HTMLButtonElement)
  const connection = createTrackedFetch(logConnect)
  // A client of its own: "Drop connection" must not touch the status panel's stream.
  const api = createClient({ baseUrl, fetch: connection.fetch })
  let cancel: (() => void) | undefined

  function logConnect({ url, lastEventId }: Connect): void {
    const path = new URL(url).pathname + new URL(url).search
    if (lastEventId === null) appendLog(log, { kind: 'meta', tag: '→', text: `GET ${path}` })
    else
      appendLog(log, {
        kind: 'reconnect',
        tag: '↻',
        text: `reconnected with Last-Event-ID: ${lastEventId}`,
        data: { lastEventId },
      })
  }

  function setState(state: JobState): void {
    panel.dataset['state'] = state
    byId('job-state', HTMLElement).textContent = badges[state]
    const running = state === 'running'
    byId('start', HTMLButtonElement).disabled = running
    dropButton.disabled = !running
    cancelButton.disabled = !running
  }

  async function run(input: RunJobInput): Promise<void> {
    setState('running')
    showProgress(0, 'Starting…')
    byId('outcome', HTMLElement).hidden = true
    byId('job-id', HTMLElement).textContent = `job ${input.jobId}`
    log.replaceChildren()
    // `onStateChange` follows the connection; `call.state` would give the same at any time.
    const call = api.runJob(input, { onStateChange: showConnection })
    cancel = () => call.cancel()
    try {
      // Each event is `{ event, data, id }`, its data typed by its name; a dropped connection
      // is resumed inside the loop.
      for await (const e of call) {
        if (e.event === 'progress') showStep(e.data, e.id)
        else showLine(e.data)
      }
      showResult(await call.result)
    } catch (error) {
      showError(error)
    } finally {
      cancel = undefined
    }
  }

  function showConnection(state: ConnectionState): void {
    const badge = byId('connection', HTMLElement)
    badge.dataset['status'] = state.status
    badge.textContent = state.status === 'reconnecting' ? 'Reconnecting' : describe(state)
    // Closing is the job's outcome, logged as such; the rest is the connection's own story.
    if (state.status !== 'closed') {
      appendLog(log, { kind: 'meta', tag: '◦', text: describe(state), data: { connection: state.status } })
    }
  }

  function showLine({ text }: RunJobLogData): void {
    appendLog(log, { kind: 'meta', tag: 'log', text })
  }

  function showStep({ done, total, label }: RunJobProgressData, id: string | undefined): void {
    showProgress(Math.round((done / total) * 100), `Step ${done} of ${total} · ${label}`)
    appendLog(log, {
      kind: 'step',
      tag: `#${id ?? '?'}`,
      text: label,
      extra: `${done}/${total}`,
      data: { step: String(done) },
    })
  }

  function showResult(result: RunJobOutput): void {
    setState('done')
    showProgress(100, `Done: ${result.steps} steps`)
    appendLog(log, { kind: 'done', tag: '✓', text: `done ${JSON.stringify(result)}` })
    const fields = Object.entries(result).flatMap(([name, value]) => [
      Object.assign(document.createElement('dt'), { textContent: name }),
      Object.assign(document.createElement('dd'), { textContent: String(value), id: `result-${name}` }),
    ])
    const list = document.createElement('dl')
    list.append(...fields)
    showOutcome('ok', 'Done: the generator returned', list)
  }

  function showError(error: unknown): void {
    const { code, message } =
      error instanceof SluiceClientError ? error : { code: 'ERROR', message: String(error) }
    if (code === 'CANCELLED') {
      setState('cancelled')
      byId('step-label', HTMLElement).textContent = 'Cancelled'
      appendLog(log, { kind: 'meta', tag: '■', text: 'cancelled: the server ran its finally block' })
      showOutcome(
        'neutral',
        'Cancelled',
        paragraph('The request was aborted; the job stopped on the server.'),
      )
      return
    }
    setState('failed')
    byId('step-label', HTMLElement).textContent = `Failed: ${code}`
    appendLog(log, { kind: 'error', tag: '✗', text: `error ${code}: ${message}` })
    showOutcome('bad', code, paragraph(message))
  }

  function showProgress(percent: number, label: string): void {
    byId('fill', HTMLElement).style.width = `${percent}%`
    byId('bar', HTMLElement).setAttribute('aria-valuenow', String(percent))
    byId('percent', HTMLElement).textContent = `${percent}%`
    byId('step-label', HTMLElement).textContent = label
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const data = new FormData(form)
    const failAt = Number(data.get('failAt'))
    void run({
      jobId: crypto.randomUUID().slice(0, 8),
      steps: Number(data.get('steps')),
      failAt: failAt > 0 ? failAt : undefined,
    })
  })
  dropButton.addEventListener('click', () => {
    connection.drop()
    appendLog(log, { kind: 'reconnect', tag: '✂', text: 'connection dropped by the page' })
  })
  cancelButton.addEventListener('click', () => cancel?.())
}

/** A connection state in a few words: what the badge and the log say. */
function describe(state: ConnectionState): string {
  switch (state.status) {
    case 'connecting':
      return state.attempt === 1 ? 'Connecting' : `Connecting (attempt ${state.attempt})`
    case 'open':
      return 'Open'
    case 'reconnecting':
      return `Reconnecting in ${state.delayMs} ms (attempt ${state.attempt}): ${state.error.message}`
    case 'closed':
      return `Closed: ${state.reason}`
  }
}

function showOutcome(kind: 'ok' | 'bad' | 'neutral', title: string, body: HTMLElement): void {
  const outcome = byId('outcome', HTMLElement)
  outcome.className = `outcome ${kind}`
  outcome.dataset['kind'] = kind
  outcome.replaceChildren(Object.assign(document.createElement('strong'), { textContent: title }), body)
  outcome.hidden = false
}

function paragraph(text: string): HTMLParagraphElement {
  return Object.assign(document.createElement('p'), { textContent: text })
}
