// The backends' packages are found from any working folder: the command line run from a project folder
// (not the checkout) still gets the WebAssembly binaries, not the pure-JavaScript fallback.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { loadPackage, resolvePackage } from './packageResolve'
import { defaultWasmDir } from './wasmBackend'

const cwd = process.cwd()
afterEach(() => process.chdir(cwd))

it('finds the wasm binaries with the working folder outside the checkout', () => {
  process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-cwd-')))
  expect(fs.existsSync(path.join(defaultWasmDir(), 'tfjs-backend-wasm.wasm'))).toBe(true)
  expect(resolvePackage('@tensorflow/tfjs-backend-wasm')).toContain(path.join('node_modules', '@tensorflow'))
  expect(loadPackage('@tensorflow/tfjs-backend-wasm')).toHaveProperty('setWasmPaths')
})

it('names the package it cannot find', () => {
  expect(() => resolvePackage('@s4mi/no-such-package')).toThrow(/@s4mi\/no-such-package/)
})
