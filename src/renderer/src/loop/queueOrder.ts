/**
 * The grid's order with a labelling queue: the queued images first, in the queue's order (most uncertain
 * first, or the control's random order), then every other image as it was.
 */
export function queueOrder<T extends { id: number }>(
  images: T[],
  ranked: ReadonlyMap<number, { place: number }>,
): T[] {
  if (ranked.size === 0) return images
  const queued = images.filter((i) => ranked.has(i.id))
  queued.sort((a, b) => ranked.get(a.id)!.place - ranked.get(b.id)!.place)
  return [...queued, ...images.filter((i) => !ranked.has(i.id))]
}
