// Lists the kernels a training step needs (forward + backward of a conv net, a U-Net-style net and a
// transformer block) that the wasm backend lacks, before and after our training kernels are registered.
// Run: npx tsx bench/trainWasmKernels.ts
import { missingWasmKernels } from '../src/core/engine/backend/missingWasmKernels'
import { prepareWasmBackend } from '../src/core/engine/backend/wasmBackend'

function print(title: string, missing: Map<string, string[]>): void {
  console.log(title)
  if (missing.size === 0) console.log('  (none)')
  for (const [kernel, networks] of missing) console.log(`  ${kernel}  <- ${networks.join(', ')}`)
}

async function main(): Promise<void> {
  print('missing on stock tfjs-backend-wasm:', await missingWasmKernels())
  prepareWasmBackend()
  print('missing with our wasm training kernels:', await missingWasmKernels())
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
