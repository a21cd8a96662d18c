/**
 * A smooth field sampled every `step` pixels and read back bilinearly. Low-frequency noise (tissue
 * density, fibre warp, redness) changes little between neighbours, so sampling it per pixel on a
 * slide-sized image would waste most of the painting time.
 */
export class CoarseField {
  private readonly cols: number
  private readonly values: Float32Array

  constructor(
    width: number,
    height: number,
    private readonly step: number,
    fn: (x: number, y: number) => number,
  ) {
    this.cols = Math.ceil(width / step) + 2
    const rows = Math.ceil(height / step) + 2
    this.values = new Float32Array(this.cols * rows)
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < this.cols; c++) this.values[r * this.cols + c] = fn(c * step, r * step)
    }
  }

  at(x: number, y: number): number {
    const gx = x / this.step
    const gy = y / this.step
    const c = Math.floor(gx)
    const r = Math.floor(gy)
    const tx = gx - c
    const ty = gy - r
    const i = r * this.cols + c
    const v = this.values
    const a = v[i] + (v[i + 1] - v[i]) * tx
    const b = v[i + this.cols] + (v[i + this.cols + 1] - v[i + this.cols]) * tx
    return a + (b - a) * ty
  }
}
