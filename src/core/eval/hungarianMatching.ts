/**
 * Minimum-cost assignment (Kuhn–Munkres, O(n²m) with potentials). Rows are matched to distinct
 * columns; a rectangular matrix with more rows than columns is solved on its transpose.
 */

/** Returns, for each row, the column it is assigned to (−1 for rows left over when rows > columns). */
export function hungarianMatching(cost: number[][]): number[] {
  const n = cost.length
  if (n === 0) return []
  const m = cost[0].length
  for (const [i, row] of cost.entries()) {
    if (row.length !== m) throw new Error(`Cost matrix row ${i} has ${row.length} entries, row 0 has ${m}`)
    for (const v of row)
      if (!Number.isFinite(v)) throw new Error(`Cost matrix row ${i} holds a non-finite value`)
  }
  if (n > m) {
    const transposed = Array.from({ length: m }, (_, j) => cost.map((row) => row[j]))
    const colToRow = hungarianMatching(transposed)
    const rowToCol = new Array<number>(n).fill(-1)
    colToRow.forEach((r, c) => (rowToCol[r] = c))
    return rowToCol
  }
  // 1-based potentials u (rows), v (columns); p[j] = row matched to column j (0 = none).
  const u = new Float64Array(n + 1)
  const v = new Float64Array(m + 1)
  const p = new Int32Array(m + 1)
  const way = new Int32Array(m + 1)
  for (let i = 1; i <= n; i++) {
    p[0] = i
    let j0 = 0
    const minv = new Float64Array(m + 1).fill(Infinity)
    const used = new Uint8Array(m + 1)
    do {
      used[j0] = 1
      const i0 = p[j0]
      let delta = Infinity
      let j1 = 0
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue
        const cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
        if (cur < minv[j]) {
          minv[j] = cur
          way[j] = j0
        }
        if (minv[j] < delta) {
          delta = minv[j]
          j1 = j
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta
          v[j] -= delta
        } else minv[j] -= delta
      }
      j0 = j1
    } while (p[j0] !== 0)
    do {
      const j1 = way[j0]
      p[j0] = p[j1]
      j0 = j1
    } while (j0 !== 0)
  }
  const rowToCol = new Array<number>(n).fill(-1)
  for (let j = 1; j <= m; j++) if (p[j] > 0) rowToCol[p[j] - 1] = j - 1
  return rowToCol
}
