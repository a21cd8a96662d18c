import { describe, expect, it } from 'vitest'
import { catalogueEntries, findMethod, listMethods, runSettings } from './catalogue'
import { describeEntry } from './catalogueEntry'
import { CLASSIFIER_BACKBONES } from '../../shared/classifierBackbones'
import { DINO_RECIPES } from '../../shared/dinoRecipes'
import {
  hasHyperparameterLabel,
  hyperparameterGroups,
  hyperparameterLabel,
  hyperparameterParts,
  hyperparameterValue,
} from '../../shared/hyperparameters'
import { trainableMethod } from './trainableMethods'
import { validateTrainRequest, type TrainRequest } from './validateTrainRequest'

const request: TrainRequest = {
  task: 'segmentation',
  method: 'supervised',
  labelFraction: 'active',
  seeds: 1,
  preset: 'quick',
  overrides: {},
}

describe('the method catalogue', () => {
  it('trains each method as a trainer page builds it (trainableMethods.ts, the Node-free side)', () => {
    const trained = catalogueEntries().filter((e) => e.runner)
    expect(trained).toHaveLength(6)
    for (const e of trained) expect(e.runner!.method, `${e.task}/${e.id}`).toBe(trainableMethod(e.task, e.id))
    expect(() => trainableMethod('classification', 'picie')).toThrow(/No classification method 'picie'/)
  })

  it('lists every method once per task, with presets and hyperparameters for those it trains', () => {
    const all = listMethods()
    expect(all.map((m) => `${m.task}/${m.id}`)).toEqual([
      'segmentation/supervised',
      'segmentation/cross-teaching',
      'segmentation/picie',
      'classification/supervised',
      'classification/dino',
      'classification/cass',
    ])
    const picie = all.find((m) => m.id === 'picie')!
    expect(picie).toMatchObject({ usesLabels: false, available: true, kind: 'unsupervised' })
    const supervised = all.find((m) => m.task === 'segmentation' && m.id === 'supervised')!
    // The presets are the method's own defaults, so the panel and the CLI show what a run will use.
    const runner = findMethod('segmentation', 'supervised')
    expect(supervised.presets).toEqual({
      quick: runner.method.defaults('quick'),
      paper: runner.method.defaults('paper'),
    })
    expect(supervised.hyperparameters.find((h) => h.name === 'imageSize')).toMatchObject({
      type: 'number',
      quick: 32,
      paper: 224,
    })
    // JSON-able: methods.list sends it over IPC and HTTP.
    expect(JSON.parse(JSON.stringify(all))).toEqual(all)
    expect(listMethods('classification').every((m) => m.task === 'classification')).toBe(true)
    for (const e of catalogueEntries()) if (e.runner) expect(e.runner.method.name).toBe(e.id)
    // A method listed before it is built: shown, not startable.
    const planned = describeEntry({ ...catalogueEntries()[0], id: 'mean-teacher', runner: null })
    expect(planned).toMatchObject({ available: false, presets: null, hyperparameters: [] })
  })
})

describe('runSettings', () => {
  it("gives what a run with these choices trains with: DINO's settings follow its backbone and recipe", () => {
    const value = (overrides: Record<string, string>, name: string) =>
      runSettings('classification', 'dino', 'paper', overrides).find((s) => s.name === name)?.value
    expect(value({}, 'dino.optimizer')).toBe('sgd')
    expect(value({ backbone: 'vit_b16' }, 'dino.optimizer')).toBe('adamw')
    expect(value({ dinoPreset: 's4mi' }, 'dino.studentTemp')).toBe(0.9)
    // Described where the catalogue documents the name; an unknown override is refused by name.
    const imageSize = runSettings('segmentation', 'supervised', 'quick', {}).find(
      (s) => s.name === 'imageSize',
    )
    expect(imageSize).toMatchObject({ value: 32 })
    expect(() => runSettings('classification', 'dino', 'quick', { warmth: 1 })).toThrow(
      /no hyperparameter 'warmth'/,
    )
  })
})

describe('hyperparameters in words', () => {
  it('every setting of every method, preset, backbone and DINO recipe has a label (shared/hyperparameters.ts)', () => {
    const choices = [
      {},
      ...CLASSIFIER_BACKBONES.map((backbone) => ({ backbone })),
      ...DINO_RECIPES.map((r) => ({ dinoPreset: r.id })),
    ]
    const names = new Set<string>()
    for (const e of catalogueEntries())
      for (const preset of ['quick', 'paper'] as const)
        for (const chosen of choices) {
          // A choice this method does not have is refused: it has no settings to label.
          const known = Object.keys(chosen).every((k) => k in e.runner!.method.defaults(preset))
          if (known) for (const s of runSettings(e.task, e.id, preset, chosen)) names.add(s.name)
        }
    // DINO's pretraining settings and CASS's are among them, under their phase's prefix.
    expect([...names].filter((n) => n.startsWith('dino.')).length).toBeGreaterThan(20)
    expect([...names].filter((n) => n.startsWith('cass.')).length).toBeGreaterThan(4)
    expect([...names].filter((n) => !hasHyperparameterLabel(n))).toEqual([])
  })

  it("groups a run's settings by phase, pretraining first, the rest as fine-tuning only after one", () => {
    const names = (g: { phase: string | null; rows: { name: string }[] }[]) =>
      g.map((x) => [x.phase, x.rows.map((r) => r.name)])
    const dino = runSettings('classification', 'dino', 'quick', {})
    const groups = hyperparameterGroups(dino)
    expect(groups.map((g) => g.phase)).toEqual(['DINO pretraining', 'Fine-tuning'])
    expect(groups[0].rows.every((r) => r.name.startsWith('dino.'))).toBe(true)
    expect(groups[0].rows.length + groups[1].rows.length).toBe(dino.length)
    expect(names(hyperparameterGroups([{ name: 'lr' }, { name: 'epochs' }]))).toEqual([
      [null, ['lr', 'epochs']],
    ])
    expect(names(hyperparameterGroups([{ name: 'lr' }, { name: 'cass.lr' }]))).toEqual([
      ['CASS pretraining', ['cass.lr']],
      ['Fine-tuning', ['lr']],
    ])
  })

  it('reads a pretraining setting with its phase, and an unknown name as stored', () => {
    expect(hyperparameterLabel('lr')).toBe('Learning rate')
    expect(hyperparameterLabel('dino.momentumTeacherEnd')).toBe('Final teacher momentum (DINO pretraining)')
    expect(hyperparameterLabel('cass.lr')).toBe('Learning rate (CASS pretraining)')
    expect(hasHyperparameterLabel('fromAnotherVersion')).toBe(false)
    expect(hyperparameterLabel('fromAnotherVersion')).toBe('fromAnotherVersion')
    expect(hyperparameterLabel('other.lr')).toBe('other.lr')
    expect(hyperparameterParts('cass.tMax')).toEqual({
      phase: 'CASS pretraining',
      label: 'Cosine schedule period (T_max)',
    })
    expect(hyperparameterParts('dino.unknown')).toEqual({ phase: 'DINO pretraining', label: 'dino.unknown' })
    expect(hyperparameterValue('augment', false)).toBe('no')
    expect(hyperparameterValue('dino.backbone', 'vit_tiny')).toBe('Small ViT (quick)')
    expect(hyperparameterValue('cnnBackbone', 'resnet50')).toBe('ResNet-50')
    expect(hyperparameterValue('backbone', 'resnet34')).toBe('resnet34')
    expect(hyperparameterValue('optimizer', 'adam')).toBe('adam')
  })
})

describe('validateTrainRequest', () => {
  it('accepts a request and returns the hyperparameters the run will use', () => {
    const { request: r, hyper } = validateTrainRequest({ ...request, overrides: { epochs: 3 } })
    expect(r).toEqual({ ...request, overrides: { epochs: 3 } })
    expect(hyper.epochs).toBe(3)
    expect(hyper.imageSize).toBe(32)
  })
  it('gives an unsupervised method no labels, and refuses any', () => {
    expect(validateTrainRequest({ ...request, method: 'picie' }).request.labelFraction).toBe(0)
    expect(() => validateTrainRequest({ ...request, method: 'picie', labelFraction: 0.1 })).toThrow(
      /PiCIE is unsupervised: its label fraction is 0/,
    )
    expect(() => validateTrainRequest({ ...request, method: 'picie', labelFraction: 'user' })).toThrow(
      /unsupervised/,
    )
  })
  it('refuses, naming the field: unknown or unbuilt methods, misfit fractions, seeds, presets, overrides', () => {
    const bad: [Partial<TrainRequest>, RegExp][] = [
      [
        { method: 'mean-teacher' },
        /No training method "mean-teacher" for segmentation \(available: supervised, cross-teaching, picie\)/,
      ],
      [{ task: 'classification', method: 'picie' }, /No training method "picie" for classification/],
      [{ labelFraction: 0 }, /Supervised U-Net needs labels/],
      [{ labelFraction: 30 }, /labelFraction is a share from 0 to 1/],
      [{ seeds: 0 }, /seeds must be a whole number from 1 to 100/],
      [{ seeds: 1.5 }, /seeds/],
      [{ preset: 'huge' as 'quick' }, /preset must be 'quick' or 'paper'/],
      [{ overrides: { epoch: 2 } }, /no hyperparameter 'epoch'/],
      [{ overrides: { epochs: 'two' } }, /'epochs' of supervised must be a number/],
    ]
    for (const [change, message] of bad) {
      expect(() => validateTrainRequest({ ...request, ...change }), JSON.stringify(change)).toThrow(message)
    }
  })
})
