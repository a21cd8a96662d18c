#!/usr/bin/env node
// The s4mi command: runs the built CLI bundle, or the TypeScript source through tsx in a checkout.
const path = require('node:path')
const fs = require('node:fs')
const built = path.join(__dirname, '..', 'out', 'node', 'cli.cjs')
if (fs.existsSync(built)) {
  require(built)
} else {
  const { spawnSync } = require('node:child_process')
  const src = path.join(__dirname, '..', 'src', 'cli', 's4mi.ts')
  const r = spawnSync(process.execPath, ['--import', 'tsx', src, ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  process.exit(r.status ?? 1)
}
