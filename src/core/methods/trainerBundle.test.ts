import { builtinModules } from 'node:module'
import path from 'node:path'
import { build, type Metafile, type Plugin } from 'esbuild'
import { describe, expect, it } from 'vitest'

/**
 * The training half of a run (trainableMethods.ts and all it imports) must bundle for a browser page with
 * no Node built-in and no native module, so it can run in a sandboxed renderer (WebGPU, WebGL) while the
 * run's host keeps the project, its files and sqlite. An import that needs Node fails here, named with the
 * chain of imports that reaches it, so whoever added it sees where to cut.
 */

const root = path.resolve(__dirname, '../../..')
const entry = 'src/core/methods/trainableMethods.ts'

/** Packages that load a compiled Node addon: no browser page can run them, whatever they import. */
const nativePackages = new Set(['sharp', 'better-sqlite3', 'koffi', 'electron', '@tensorflow/tfjs-node'])
const builtins = new Set(builtinModules)

function packageName(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

interface NodeImport {
  importer: string
  specifier: string
}

/** Marks every Node-only import external (so the bundle completes) and records who made it. */
function nodeOnlyImports(found: NodeImport[]): Plugin {
  const probing = Symbol('probing')
  return {
    name: 'node-only-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === probing) return undefined
        const name = packageName(args.path)
        const record = () => {
          found.push({ importer: path.relative(root, args.importer), specifier: args.path })
          return { path: args.path, external: true }
        }
        if (nativePackages.has(name)) return record()
        if (!name.startsWith('node:') && !builtins.has(name)) return undefined
        // A package may map a built-in away for browsers ("browser": { "fs": false }, as tfjs does):
        // only a built-in the browser build cannot resolve counts.
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: probing,
        })
        return resolved.errors.length ? record() : undefined
      })
    },
  }
}

/** Each input's first importer on a shortest path from the entry. */
function importedBy(metafile: Metafile): Map<string, string | null> {
  const parents = new Map<string, string | null>([[entry, null]])
  const queue = [entry]
  while (queue.length) {
    const file = queue.shift()!
    for (const imp of metafile.inputs[file]?.imports ?? []) {
      if (imp.external || parents.has(imp.path)) continue
      parents.set(imp.path, file)
      queue.push(imp.path)
    }
  }
  return parents
}

function chain(parents: Map<string, string | null>, file: string): string[] {
  const out: string[] = []
  for (let at: string | null | undefined = file; at; at = parents.get(at)) out.unshift(at)
  return out
}

describe('the trainer bundle', () => {
  it('bundles for a browser with no Node built-in or native module', async () => {
    const found: NodeImport[] = []
    const result = await build({
      absWorkingDir: root,
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [nodeOnlyImports(found)],
    })
    const parents = importedBy(result.metafile)
    // One line per import, as the chain that reaches it: trainableMethods.ts → … → node:fs.
    const problems = found.map(({ importer, specifier }) =>
      [...chain(parents, importer), specifier].join(' → '),
    )
    expect(problems, `Node-only imports in the trainer:\n${problems.join('\n')}`).toEqual([])
  }, 120_000)
})
