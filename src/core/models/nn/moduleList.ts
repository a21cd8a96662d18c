import { Module } from './module'

/** torch.nn.ModuleList: children named 0, 1, 2, … with no forward of its own. */
export class ModuleList<M extends Module> extends Module {
  readonly items: M[]

  constructor(items: M[]) {
    super()
    this.items = items.map((m, i) => this.addModule(String(i), m))
  }
}
