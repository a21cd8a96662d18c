/**
 * The `keep` most recently used values by key: a hit moves its key to the newest end, and setting one too
 * many drops the oldest. Keyed by blob hash, an entry can never be stale (blobs never change).
 */
export class LruCache<V> {
  private readonly entries = new Map<string, V>()

  constructor(private readonly keep: number) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key)
    if (hit !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, hit)
    }
    return hit
  }

  set(key: string, value: V): void {
    this.entries.set(key, value)
    while (this.entries.size > this.keep) this.entries.delete(this.entries.keys().next().value as string)
  }
}
