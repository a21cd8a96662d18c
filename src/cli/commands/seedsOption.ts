import { InvalidArgumentError } from 'commander'

/** `--seeds N`: how many seeds (0..N-1) each configuration trains with, 1 to 100. */
export function parseSeeds(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new InvalidArgumentError(`--seeds must be 1..100, got '${v}'`)
  return n
}
