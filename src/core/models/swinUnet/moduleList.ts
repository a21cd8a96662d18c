import { Module } from '../nn/module'

/** torch.nn.ModuleList: children under chosen numeric names (gaps allowed, as for parameterless nn.Identity slots). */
export class ModuleList<M extends Module> extends Module {
  readonly items = new Map<number, M>()

  add(index: number, module: M): M {
    this.items.set(index, this.addModule(String(index), module))
    return module
  }

  get(index: number): M {
    const item = this.items.get(index)
    if (!item) throw new Error(`no module at index ${index}`)
    return item
  }
}
