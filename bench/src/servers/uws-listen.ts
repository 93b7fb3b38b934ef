import type * as UWS from 'uWebSockets.js'

/** Listens a raw uWS app (the baseline, without sluice) on 127.0.0.1 and returns its close. */
export function listenUws(uWS: typeof UWS, app: UWS.TemplatedApp, port: number): Promise<() => void> {
  return new Promise((resolve, reject) => {
    app.listen('127.0.0.1', port, (socket) => {
      if (socket === false) return reject(new Error(`uWS could not listen on ${port}`))
      resolve(() => {
        uWS.us_listen_socket_close(socket)
        ;(app as UWS.TemplatedApp & { close(): void }).close()
      })
    })
  })
}
