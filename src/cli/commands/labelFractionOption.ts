import { InvalidArgumentError } from 'commander'

/**
 * People type label fractions as percent (30 for 30 %); the core takes 0–1. This is the CLI's one
 * conversion. `extra` lists the words the option also accepts ('user', 'active').
 */
export function percentToFraction<W extends string>(
  option: string,
  extra: readonly W[] = [],
  min = 0,
): (v: string) => number | W {
  return (v) => {
    const word = extra.find((w) => w === v.trim())
    if (word !== undefined) return word
    const n = Number(v)
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > 100 || (min > 0 && n === 0)) {
      const words = extra.map((w) => ` or '${w}'`).join('')
      throw new InvalidArgumentError(`${option} must be a percentage ${min}..100${words}, got '${v}'`)
    }
    return n / 100
  }
}

/** How a fraction (0–1) reads in the CLI's output. */
export function describeFraction(f: number | 'user' | 'active'): string {
  if (f === 'user') return 'your labels'
  if (f === 'active') return 'the chosen labelled set'
  return `${Math.round(f * 100)} % labels`
}
