import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs'

/**
 * Puts `config` in place of whatever its backend has registered under its kernel's name. Idempotent: returns
 * false when `config` is the registered one already (the same object), true when it replaced or added it.
 */
export function replaceKernel(config: KernelConfig): boolean {
  const existing = getKernel(config.kernelName, config.backendName)
  if (existing === config) return false
  if (existing != null) unregisterKernel(config.kernelName, config.backendName)
  registerKernel(config)
  return true
}
