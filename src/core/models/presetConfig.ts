/**
 * A preset's config with `overrides` laid over it. The preset name may come from a run's settings, so an
 * unknown one is refused with the known ones listed (`model` names the model in the message).
 */
export function presetConfig<C>(
  presets: Record<string, C>,
  preset: string,
  overrides: Partial<C>,
  model: string,
): C {
  const base = presets[preset]
  if (!base)
    throw new Error(`unknown ${model} preset '${preset}' (known: ${Object.keys(presets).join(', ')})`)
  return { ...base, ...overrides }
}
