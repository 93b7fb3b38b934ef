import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateClient } from '../src/generate/generate-client'
import { app } from './fixtures/docs-app/app'

// Every ```ts block of the README, the docs and the starter's README is compiled as a module
// of its own, with the repository's compiler options, so a guide cannot drift from the API.
// Samples are placed in fixtures/docs-app, where `./app` is the README's app and `./client`
// its generated client; the starter's samples in its src/, next to its app and client.gen.

const root = fileURLToPath(new URL('../../', import.meta.url))
const sampleDir = join(root, 'cli/test/fixtures/docs-app')
const starters = ['templates/starter']

interface Block {
  file: string
  /** 1-based line of the block's first line of code in the markdown file. */
  line: number
  lang: string
  code: string
  path: string
}

/** The fenced code blocks of one markdown file. */
function extractBlocks(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\S*)/.exec(lines[i] ?? '')
    if (open === null) continue
    const fence = open[2] ?? '```'
    const start = i + 1
    while (i + 1 < lines.length && !(lines[i + 1] ?? '').trimStart().startsWith(fence)) i++
    const code = lines.slice(start, i + 1).join('\n')
    const name = `docs-sample.${file.replace(/[^\w]+/g, '_')}.L${start + 1}.ts`
    const dir = file.startsWith('templates/') ? join(root, dirname(file), 'src') : sampleDir
    blocks.push({ file, line: start + 1, lang: open[3] ?? '', code: `${code}\n`, path: join(dir, name) })
    i++ // the closing fence
  }
  return blocks
}

function markdownFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : markdownFiles(path)
    return entry.name.endsWith('.md') ? [path] : []
  })
}

const files = ['README.md', ...markdownFiles('docs'), ...starters.map((dir) => `${dir}/README.md`)]
const blocks = files.flatMap(extractBlocks)
const samples = blocks.filter((block) => block.lang === 'ts')

/** Compiles samples in one program; a sample that augments a module gets a program of its own. */
function compile(all: Block[]): Map<Block, readonly ts.Diagnostic[]> {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path))
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  // Force: every sample is a module, so two samples never share a global scope.
  const options = { ...parsed.options, noEmit: true, moduleDetection: ts.ModuleDetectionKind.Force }
  const byPath = new Map(all.map((block) => [block.path, block]))
  const host = ts.createCompilerHost(options, true)
  const cache = new Map<string, ts.SourceFile | undefined>()
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (path, language) => {
    const block = byPath.get(path)
    if (block !== undefined) return ts.createSourceFile(path, block.code, language, true)
    if (!cache.has(path)) cache.set(path, getSourceFile(path, language))
    return cache.get(path)
  }
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (path) => byPath.has(path) || fileExists(path)
  const readFile = host.readFile.bind(host)
  host.readFile = (path) => byPath.get(path)?.code ?? readFile(path)

  // Module augmentations and `/// <reference lib>` change every file of a program.
  const augments = (block: Block) => /^\s*(declare\s+(module|global)\b|\/\/\/ <reference)/m.test(block.code)
  const groups = [all.filter((block) => !augments(block)), ...all.filter(augments).map((block) => [block])]
  const results = new Map<Block, readonly ts.Diagnostic[]>()
  for (const group of groups) {
    const program = ts.createProgram(
      group.map((block) => block.path),
      options,
      host,
    )
    for (const block of group) {
      const source = program.getSourceFile(block.path)
      if (source === undefined) throw new Error(`${block.file}:${block.line} was not compiled`)
      results.set(block, [
        ...program.getSyntacticDiagnostics(source),
        ...program.getSemanticDiagnostics(source),
      ])
    }
  }
  return results
}

/** `file:line: message` for each diagnostic, with the line in the markdown file. */
function format(block: Block, diagnostics: readonly ts.Diagnostic[]): string {
  return diagnostics
    .map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ')
      if (diagnostic.file === undefined || diagnostic.start === undefined) return `${block.file}: ${message}`
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
      const where =
        diagnostic.file.fileName === block.path ? block.file : relative(root, diagnostic.file.fileName)
      return `${where}:${diagnostic.file.fileName === block.path ? block.line + line : line + 1}: ${message}`
    })
    .join('\n')
}

let diagnostics = new Map<Block, readonly ts.Diagnostic[]>()
beforeAll(() => {
  diagnostics = compile(samples)
}, 60_000)

describe('code samples in the README, docs/ and the starter', () => {
  it('are found: every guide and runtime page has TypeScript samples', () => {
    const guides = [
      'streaming',
      'progressive',
      'resume',
      'errors',
      'cancellation',
      'client',
      'openapi',
      'middleware',
    ]
    const runtimes = ['node', 'express', 'fastify', 'uws'].map((name) => `runtimes/${name}`)
    for (const page of [...guides, ...runtimes].map((name) => join('docs', `${name}.md`)))
      expect(samples.filter((block) => block.file === page).length, page).toBeGreaterThan(0)
  })

  it('import ./client, which is what `sluice client` writes for ./app (else run npm run golden)', async () => {
    const checkedIn = readFileSync(join(sampleDir, 'client.ts'), 'utf8')
    expect(await generateClient(app)).toBe(checkedIn)
  })

  it('name their language: ts for code (compiled), another name (sh, text, json) for the rest', () => {
    // An untagged block, or code tagged anything but `ts`, would escape the compiler.
    const escaping = ['', 'typescript', 'tsx', 'mts', 'cts', 'js', 'javascript', 'jsx', 'mjs', 'cjs']
    const unnamed = blocks
      .filter((block) => escaping.includes(block.lang))
      .map((block) => `${block.file}:${block.line - 1}: \`\`\`${block.lang}`)
    expect(unnamed).toEqual([])
  })

  describe.each(files.filter((file) => samples.some((block) => block.file === file)))('%s', (file) => {
    it.each(samples.filter((block) => block.file === file).map((block) => [block.line, block] as const))(
      'compiles the sample at line %i',
      (_line, block) => {
        const found = diagnostics.get(block) ?? []
        expect(found.length, `\n${format(block, found)}\n`).toBe(0)
      },
    )
  })
})
