// @ts-check
// Which Node each way of running S4MI Studio needs, read from the `engines` its tools declare (never written
// down twice), and the check `npm start`, `npm run dev` and `npm run package` run before anything else.
// Plain ES2020 so that an old Node gets this message, not a syntax error.
import fs from 'node:fs'
import path from 'node:path'
import semver from 'semver'

/**
 * What runs on the system's Node on each path. The desktop app itself runs on Electron's own Node; the
 * system's Node runs the build (electron-vite), Electron's downloader and the native-module tools.
 * @type {Record<'core' | 'desktop' | 'packaging', { what: string, tools: string[], runtime: boolean }>}
 */
export const NODE_PATHS = {
  core: {
    what: 'the CLI, serve mode and the tests',
    // Plus every runtime dependency: the CLI and serve mode load them on this Node.
    tools: ['vite', 'vitest', 'electron-vite', 'esbuild', 'playwright-core', 'typescript', 'tsx'],
    runtime: true,
  },
  desktop: {
    what: 'the desktop app (npm start, npm run dev)',
    tools: ['electron', 'electron-vite', 'vite', 'prebuild-install', 'node-gyp'],
    runtime: false,
  },
  packaging: {
    what: 'building installers (npm run package)',
    tools: ['electron', 'electron-vite', 'vite', 'electron-builder', '@electron/rebuild', 'prebuild-install'],
    runtime: false,
  },
}

/**
 * @param {string} root the project folder (with package.json and node_modules)
 * @param {string} name a package name
 * @returns {{ name: string, version: string, range: string } | null} its declared Node range, if any
 */
export function declaredNodeRange(root, name) {
  const file = path.join(root, 'node_modules', ...name.split('/'), 'package.json')
  if (!fs.existsSync(file)) return null
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'))
  const range = pkg.engines && pkg.engines.node
  return typeof range === 'string' ? { name, version: pkg.version, range } : null
}

/**
 * @param {string} root
 * @param {keyof typeof NODE_PATHS} which
 */
export function requirementsFor(root, which) {
  const spec = NODE_PATHS[which]
  const own = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  const names = spec.runtime ? [...Object.keys(own.dependencies || {}), ...spec.tools] : spec.tools
  /** @type {{ name: string, version: string, range: string }[]} */
  const found = []
  for (const name of names) {
    const r = declaredNodeRange(root, name)
    if (r) found.push(r)
  }
  return found
}

/**
 * The lowest Node version that satisfies every range (each range's alternatives are the candidates).
 * @param {string[]} ranges
 * @returns {string | null}
 */
export function minimumNode(ranges) {
  const candidates = []
  for (const text of ranges) {
    for (const set of new semver.Range(text).set) {
      const low = semver.minVersion(
        new semver.Range(set.map((/** @type {semver.Comparator} */ c) => c.value).join(' ') || '*'),
      )
      if (low) candidates.push(low.version)
    }
  }
  candidates.sort(semver.compare)
  return candidates.find((v) => ranges.every((r) => semver.satisfies(v, r))) || null
}

/**
 * The ranges that a Node version does not satisfy.
 * @param {string} nodeVersion
 * @param {{ name: string, version: string, range: string }[]} requirements
 */
export function unmetRequirements(nodeVersion, requirements) {
  return requirements.filter((r) => !semver.satisfies(nodeVersion, r.range))
}

/**
 * The message for a Node that cannot run a path, or null when it can.
 * @param {string} nodeVersion
 * @param {keyof typeof NODE_PATHS} which
 * @param {{ name: string, version: string, range: string }[]} requirements
 * @param {string | null} [coreNeed] the minimum for the CLI, serve mode and tests, to point at what still works
 */
export function nodeProblem(nodeVersion, which, requirements, coreNeed = null) {
  const unmet = unmetRequirements(nodeVersion, requirements)
  if (!unmet.length) return null
  const need = minimumNode(requirements.map((r) => r.range))
  const why = unmet.map((r) => `${r.name} ${r.version} requires Node ${r.range}`).join('; ')
  const major = need ? semver.major(need) : null
  return [
    `S4MI Studio: ${NODE_PATHS[which].what} needs Node ${need ? shortVersion(need) + ' or newer' : '(no version satisfies all)'}; this is Node ${nodeVersion}.`,
    `  (${why})`,
    major
      ? `  Install Node ${major} LTS from https://nodejs.org (or: nvm install ${major} && nvm use ${major}), then run npm install again.`
      : '',
    which !== 'core' && coreNeed && semver.gte(nodeVersion, coreNeed)
      ? `  The CLI, serve mode (npm run serve) and the tests run on this Node (they need ${shortVersion(coreNeed)}+).`
      : '',
    '  To try anyway, set S4MI_SKIP_NODE_CHECK=1.',
  ]
    .filter(Boolean)
    .join('\n')
}

/** "22.12.0" -> "22.12". @param {string} v */
export function shortVersion(v) {
  const p = semver.parse(v)
  return p ? `${p.major}.${p.minor}` : v
}
