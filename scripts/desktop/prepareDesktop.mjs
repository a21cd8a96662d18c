// @ts-check
// `npm start` and `npm run dev` run this first (`npm run package` its checks only): the right Node, the Electron
// that package.json names with its binary, and better-sqlite3 built for that Electron. Each failure ends in
// one clear message and exit code 1 instead of a build error further on.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { downloadElectronBinary, electronInstall, electronVersionProblem } from './electronInstall.mjs'
import { resolveElectronSqlite } from './electronSqlite.mjs'
import { minimumNode, nodeProblem, requirementsFor } from './nodeRequirements.mjs'

/**
 * @param {{
 *   root: string,
 *   purpose: 'desktop' | 'packaging',
 *   nodeVersion?: string,
 *   env?: NodeJS.ProcessEnv,
 *   download?: typeof downloadElectronBinary,
 *   resolveSqlite?: typeof resolveElectronSqlite,
 *   log?: (line: string) => void,
 *   error?: (line: string) => void,
 * }} o
 * @returns {Promise<number>} the exit code
 */
export async function prepareDesktop(o) {
  const env = o.env || process.env
  const nodeVersion = o.nodeVersion || process.versions.node
  const log = o.log || ((l) => console.log(l))
  const error = o.error || ((l) => console.error(l))
  const download = o.download || downloadElectronBinary
  const resolveSqlite = o.resolveSqlite || resolveElectronSqlite

  const coreNeed = minimumNode(requirementsFor(o.root, 'core').map((r) => r.range))
  const problem = nodeProblem(nodeVersion, o.purpose, requirementsFor(o.root, o.purpose), coreNeed)
  if (problem && env.S4MI_SKIP_NODE_CHECK !== '1') {
    error(problem)
    return 1
  }
  if (problem) log(`S4MI Studio: S4MI_SKIP_NODE_CHECK=1, going on with Node ${nodeVersion} (unsupported).`)

  const electron = electronInstall(o.root, { env })
  const versionProblem = electronVersionProblem(electron)
  if (versionProblem) {
    error(versionProblem)
    return 1
  }
  // Packaging downloads its own Electron per target and fetches better-sqlite3 per target (beforePack).
  if (o.purpose === 'packaging') return 0

  if (!electron.binaryPresent) {
    const failed = download(o.root, electron)
    if (failed) {
      error(failed)
      return 1
    }
  }
  try {
    await resolveSqlite({
      root: o.root,
      electronVersion: /** @type {string} */ (electron.version),
      abi: electron.abi || '',
      log,
    })
  } catch (e) {
    error(e instanceof Error ? e.message : String(e))
    return 1
  }
  return 0
}

const here = fileURLToPath(import.meta.url)
if (process.argv[1] && path.resolve(process.argv[1]) === here) {
  const purpose = process.argv[2] === 'package' ? 'packaging' : 'desktop'
  prepareDesktop({ root: path.resolve(path.dirname(here), '..', '..'), purpose }).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e)
      process.exit(1)
    },
  )
}
