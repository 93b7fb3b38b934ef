import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { TurnQueue } from './turns'

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i)

describe('TurnQueue', () => {
  it('runs what fits this turn at once and the rest a slice per later turn', async () => {
    const queue = new TurnQueue(10)
    const seen: number[] = []
    queue.run(range(0, 25), (item) => seen.push(item))
    expect(seen).toEqual(range(0, 10))
    expect(queue.backlog).toBe(15)
    await nextTurn()
    expect(seen).toEqual(range(0, 20))
    await nextTurn()
    expect(seen).toEqual(range(0, 25))
    expect(queue.backlog).toBe(0)
  })

  it('shares one budget a turn across calls, and later calls never overtake earlier ones', async () => {
    const queue = new TurnQueue(10)
    const seen: string[] = []
    queue.run(range(0, 6), (item) => seen.push(`a${item}`))
    queue.run(range(0, 6), (item) => seen.push(`b${item}`))
    queue.run(range(0, 2), (item) => seen.push(`c${item}`))
    expect(seen).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'b0', 'b1', 'b2', 'b3'])
    await nextTurn()
    expect(seen.slice(10)).toEqual(['b4', 'b5', 'c0', 'c1'])
  })

  it('gives the budget back at the next turn, so spaced calls run at once', async () => {
    const queue = new TurnQueue(10)
    let count = 0
    for (let round = 0; round < 3; round++) {
      queue.run(range(0, 8), () => count++)
      expect(count).toBe(8 * (round + 1))
      await nextTurn()
    }
  })

  it('goes on past an item that throws', async () => {
    const queue = new TurnQueue(2)
    const seen: number[] = []
    queue.run(range(0, 5), (item) => {
      if (item === 1) throw new Error('this one is broken')
      seen.push(item)
    })
    while (queue.backlog > 0) await nextTurn()
    expect(seen).toEqual([0, 2, 3, 4])
  })
})
