import path from 'node:path'

/**
 * The folder of tfjs-backend-wasm's binaries in an installed app. The packaging config
 * (build/electron-builder.yml, asarUnpack) keeps them as real files beside the asar: tfjs reads a .wasm by its
 * path and the threaded build's pthread workers read its glue script from disk, neither of which works inside
 * an asar. The threaded glue sits in ../wasm-out, as in the npm package (wasmThreads.ts looks there).
 * In a checkout the answer is undefined: the training worker finds them in node_modules.
 */
export function packagedWasmDir(where: { packaged: boolean; resourcesPath: string }): string | undefined {
  if (!where.packaged) return undefined
  return path.join(
    where.resourcesPath,
    'app.asar.unpacked',
    'node_modules',
    '@tensorflow',
    'tfjs-backend-wasm',
    'dist',
  )
}
