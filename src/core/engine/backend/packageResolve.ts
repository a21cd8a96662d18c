// Where the training backends' npm packages are found: the working folder's node_modules first (a script run
// in a checkout), then those beside S4MI Studio's own code. Before, only the working folder was searched, so
// the command line run from a project folder found no WebAssembly binaries and trained on pure JavaScript.
import { createRequire } from 'node:module'
import * as path from 'node:path'

function searchFrom(): string[] {
  return [path.join(process.cwd(), 'package.json'), __filename]
}

/** The path of a package's entry file; throws the first place's error when no place has it. */
export function resolvePackage(name: string): string {
  let first: unknown = null
  for (const from of searchFrom()) {
    try {
      return createRequire(from).resolve(name)
    } catch (e) {
      first ??= e
    }
  }
  throw first
}

/** Loads a package (CommonJS `require`) from the first place that has it. */
export function loadPackage(name: string): unknown {
  const entry = resolvePackage(name)
  return createRequire(entry)(entry)
}
