// The layers of src and what each may import. Read bottom up: a layer imports only the ones listed for it,
// so nothing can point up. The README's layout section draws the same picture.
const core = (name) => ({ type: name, mode: 'full', pattern: `src/core/${name}/**` })

export const layerElements = [
  { type: 'shared', mode: 'full', pattern: 'src/shared/**' },
  { type: 'appVersion', mode: 'full', pattern: 'src/core/appVersion.ts' },
  // Where the app keeps its data, logs and projects: plain Node, read by every door and by the core.
  { type: 'appFolders', mode: 'full', pattern: 'src/core/appFolders{,.test}.ts' },
  // The app's log file (rotated) and the one function every layer writes a log line through.
  { type: 'appLog', mode: 'full', pattern: 'src/core/{appLog,rotatingLog}{,.test}.ts' },
  core('engine'),
  core('store'),
  core('jobs'),
  core('models'),
  core('slide'),
  core('data'),
  core('eval'),
  core('demo'),
  core('export'),
  core('viewer'),
  core('methods'),
  core('train'),
  core('api'),
  { type: 'main', mode: 'full', pattern: 'src/main/**' },
  { type: 'preload', mode: 'full', pattern: 'src/preload/**' },
  { type: 'renderer', mode: 'full', pattern: 'src/renderer/**' },
  { type: 'server', mode: 'full', pattern: 'src/server/**' },
  { type: 'cli', mode: 'full', pattern: 'src/cli/**' },
]

const bottom = ['shared', 'appVersion', 'appFolders', 'appLog']
/** Each layer and the layers it may import (itself included). */
const mayImport = {
  shared: ['shared'],
  appVersion: [],
  appFolders: [],
  appLog: [],
  engine: ['engine'],
  store: ['store'],
  jobs: ['jobs'],
  models: ['models', 'engine', 'store'],
  // Whole-slide readers: files in, RGB regions out; below the importers and the viewer that use them.
  slide: ['slide'],
  data: ['data', 'slide', 'engine', 'store'],
  eval: ['eval', 'engine', 'store'],
  demo: ['demo', 'data', 'eval', 'engine', 'store'],
  export: ['export', 'data', 'eval', 'engine', 'store'],
  viewer: ['viewer', 'data', 'slide', 'eval', 'engine', 'store'],
  methods: ['methods', 'models', 'data', 'eval', 'demo', 'export', 'engine', 'store'],
  train: ['train', 'methods', 'models', 'data', 'eval', 'demo', 'export', 'engine', 'store', 'jobs'],
  api: [
    'api',
    'train',
    'methods',
    'models',
    'data',
    'eval',
    'demo',
    'export',
    'viewer',
    'slide',
    'engine',
    'store',
    'jobs',
  ],
  // The doors stay thin: they reach the core through its top layers.
  main: ['main', 'api', 'train', 'store'],
  server: ['server', 'api', 'store'],
  cli: [
    'cli',
    'api',
    'train',
    'methods',
    'models',
    'data',
    'slide',
    'eval',
    'demo',
    'export',
    'engine',
    'store',
  ],
  preload: ['preload'],
  // The renderer knows the core only through the contract.
  renderer: ['renderer', 'preload'],
}

export const layerPolicies = Object.entries(mayImport).map(([from, to]) => ({
  from: { element: { type: from } },
  allow: { to: { element: { types: { anyOf: [...new Set([...to, ...bottom])] } } } },
}))
