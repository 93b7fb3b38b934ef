// Redocly's linter with its recommended rules finds no error in the fixture's documents, 3.1
// and 3.2, now that the fixture sets info and servers (warnings are allowed and listed).
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { generatedDir, runTool, writeDocuments, type Documents } from './tools'

interface Problem {
  ruleId: string
  severity: 'error' | 'warn'
  message: string
  location: { pointer: string }[]
}

// `redocly lint` exits 1 when it finds an error; the JSON report is what the test reads.
async function lint(file: string): Promise<Problem[]> {
  const args = ['lint', '--extends', 'recommended', '--format', 'json', file]
  const output = await runTool('redocly', args).catch((error: unknown) => {
    const text = error instanceof Error ? error.message : String(error)
    return { stdout: text.slice(text.indexOf('{')), stderr: '' }
  })
  const report = JSON.parse(output.stdout.slice(0, output.stdout.lastIndexOf('}') + 1)) as {
    problems: Problem[]
  }
  return report.problems
}

const summary = (problems: Problem[]): string[] =>
  problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`)

let documents: Documents
beforeAll(async () => {
  documents = await writeDocuments()
})

describe('@redocly/cli lint --extends recommended', () => {
  it.each(['3.1', '3.2'] as const)('finds no error in the fixture document %s', async (version) => {
    const problems = await lint(documents[version])
    const errors = problems.filter((problem) => problem.severity === 'error')
    expect(summary(errors)).toEqual([])
    // What is left is advice: operations that cannot fail with a 4xx (`/health`), no more.
    expect(new Set(problems.map((problem) => problem.ruleId))).toEqual(new Set(['operation-4xx-response']))
  })

  it('reads the document it is given: without servers it is an error', async () => {
    const document = JSON.parse(await readFile(documents['3.1'], 'utf8')) as Record<string, unknown>
    delete document['servers']
    const file = join(generatedDir, 'fixture-3.1-no-servers.json')
    await writeFile(file, JSON.stringify(document))
    expect(summary(await lint(file))).toContainEqual(expect.stringMatching(/^error no-empty-servers/))
  })
})
