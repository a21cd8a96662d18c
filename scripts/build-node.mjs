// Bundles the Node-side doors (CLI, serve mode, training worker) into out/node, leaving npm packages external
// so native modules (better-sqlite3, sharp, tfjs-node) load from node_modules as built for Node.
import { build } from 'esbuild'

await build({
  entryPoints: {
    cli: 'src/cli/s4mi.ts',
    serve: 'src/server/serve.ts',
    jobWorker: 'src/core/train/jobWorker.ts',
  },
  outdir: 'out/node',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
