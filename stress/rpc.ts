import type { ChildProcess } from 'node:child_process'

/** A command sent over the IPC channel to a stress child (server or client). */
export interface RpcRequest {
  id: number
  cmd: string
  args: Record<string, unknown>
}

interface RpcReply {
  id: number
  value?: unknown
  error?: string
}

type Handler = (args: Record<string, unknown>) => unknown

/** In a child: answers each command with its handler's value (or its error's message). */
export function serveRpc(handlers: Record<string, Handler>): void {
  process.on('message', (message: RpcRequest) => {
    const handler = handlers[message.cmd]
    const reply = (payload: Omit<RpcReply, 'id'>): void => {
      process.send?.({ id: message.id, ...payload })
    }
    if (handler === undefined) return reply({ error: `unknown command ${message.cmd}` })
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (value) => reply({ value }),
        (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
      )
  })
}

/** In the test: sends commands to a child and awaits its replies, matched by id. */
export function rpcClient(
  child: ChildProcess,
): <T>(cmd: string, args?: Record<string, unknown>) => Promise<T> {
  let next = 0
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  child.on('message', (message: RpcReply) => {
    const entry = waiting.get(message.id)
    if (entry === undefined) return
    waiting.delete(message.id)
    if (message.error !== undefined) entry.reject(new Error(message.error))
    else entry.resolve(message.value)
  })
  // A child that dies must fail the test at once, not leave it waiting for its timeout.
  child.on('exit', (code, signal) => {
    for (const entry of waiting.values()) entry.reject(new Error(`child exited (${String(code ?? signal)})`))
    waiting.clear()
  })
  return <T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject })
      child.send({ id, cmd, args } satisfies RpcRequest)
    })
}

/** Reads a number argument, so a typo in a test fails loudly instead of becoming NaN. */
export function num(args: Record<string, unknown>, name: string): number {
  const value = args[name]
  if (typeof value !== 'number') throw new Error(`argument ${name} must be a number`)
  return value
}

/** Reads a string argument. */
export function str(args: Record<string, unknown>, name: string): string {
  const value = args[name]
  if (typeof value !== 'string') throw new Error(`argument ${name} must be a string`)
  return value
}
