/** The demo page; issue 5 replaces EventSource with the generated client. */
export const page = `<!doctype html>
<html lang="en">
<meta charset="utf-8" />
<title>sluice progress tracker</title>
<style>
  body { font: 16px system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; }
  progress { width: 100%; height: 1.5rem; }
  ol { font-family: monospace; }
</style>
<h1>sluice progress tracker</h1>
<section>
  <button id="start">Start a job</button> <span id="percent">0%</span>
  <progress id="bar" max="100" value="0"></progress>
  <p id="result"></p>
  <ol id="log"></ol>
</section>
<section>
  <h2>Status (answers at once, then streams)</h2>
  <pre id="status">loading...</pre>
</section>
<script type="module">
  const $ = (id) => document.getElementById(id)
  $('start').onclick = () => {
    $('log').replaceChildren(); $('result').textContent = ''
    const source = new EventSource('/jobs/' + crypto.randomUUID().slice(0, 8) + '/progress?steps=10')
    source.onmessage = (e) => {
      const p = JSON.parse(e.data)
      const percent = Math.round((p.done / p.total) * 100)
      $('bar').value = percent; $('percent').textContent = percent + '%'
      $('log').append(Object.assign(document.createElement('li'), { textContent: p.label }))
    }
    source.addEventListener('done', (e) => { $('result').textContent = 'done: ' + e.data; source.close() })
    source.addEventListener('error', (e) => { if (e.data) { $('result').textContent = 'error: ' + e.data; source.close() } })
  }
  fetch('/status').then((r) => r.json()).then((s) => ($('status').textContent = JSON.stringify(s)))
  const status = new EventSource('/status')
  status.onmessage = (e) => ($('status').textContent = e.data)
</script>
</html>
`
