import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobState } from '../../src/shared/events'
import type { ResultsTable, RunDetail, RunSummary } from '../../src/shared/training'
import type { Locator } from 'playwright-core'
import { jobsDone, screenshot, startApp, type BrowserApp } from './harness'

// Classification from the UI: the training panel offers the classifier with its backbones; a short real
// run (small ResNet, 3 epochs) lands in the results pane's classification tab with F1 by label fraction
// and, per run, the confusion matrix and the note that no ImageNet weights were imported.
/**
 * Starts what the training panel is set to as a series at 100 % labels (no labelled set is chosen in these
 * projects), with a screenshot of the panel first; returns the method's new run once it is queued.
 */
async function startAtFullLabels(
  app: BrowserApp,
  form: Locator,
  method: string,
  shot: string,
): Promise<RunSummary> {
  const trainOn = form.locator('[aria-label="Train on"]')
  await trainOn.getByRole('checkbox', { name: 'this labelled set' }).uncheck()
  await trainOn.getByRole('checkbox', { name: '100 %' }).check()
  await screenshot(app.page, shot)
  const before = (await app.call<RunSummary[]>('runs.list')).map((r) => r.id)
  await form.getByRole('button', { name: 'Start training' }).click()
  for (let i = 0; i <= 100; i++) {
    const run = (await app.call<RunSummary[]>('runs.list')).find(
      (r) => r.method === method && !before.includes(r.id),
    )
    if (run) return run
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no ${method} run was queued`)
}

describe('classification: training panel and results tab', () => {
  let app: BrowserApp
  beforeAll(async () => {
    app = await startApp()
    await app.call('demo.create', { variant: 'multi-class', count: 12 })
    await app.page.reload()
  })
  afterAll(async () => {
    await app?.close()
  })

  it('offers the supervised classifier and its backbones, and trains it', async () => {
    const page = app.page
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Train' }).click()
    await page
      .getByRole('region', { name: 'Training settings' })
      .getByRole('button', { name: 'classification' })
      .click()
    const method = page.getByRole('radio', { name: /Supervised/ })
    await expect(method.isEnabled()).resolves.toBe(true)
    const backbone = page.getByRole('combobox', { name: 'Backbone' })
    const options = await backbone.locator('option').allInnerTexts()
    expect(options.join('\n')).toMatch(/ResNet-50[\s\S]*ViT-B\/16[\s\S]*Small ResNet/)
    await backbone.selectOption('resnet_tiny')
    await screenshot(page, 'classification-01-training-panel')
    await app.call('train.start', {
      task: 'classification',
      method: 'supervised',
      labelFraction: 1,
      seeds: 2,
      preset: 'quick',
      overrides: { backbone: 'resnet_tiny', imageSize: 32, epochs: 3 },
    })
    for (let i = 0; ; i++) {
      const train = (await app.call<JobState[]>('jobs.list')).filter((j) => j.kind === 'train')
      const failed = train.find((j) => j.status === 'failed')
      if (failed) throw new Error(`training failed: ${failed.error}`)
      if (train.length > 0 && train.every((j) => j.status === 'succeeded')) break
      if (i > 900) throw new Error('training did not finish in 180 s')
      await new Promise((r) => setTimeout(r, 200))
    }
  })

  it('fills the classification tab: F1 by label fraction, confusion matrix and notes per run', async () => {
    const page = app.page
    await page.reload()
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Results' }).click()
    // The training page (two task choices of its own) may still be up for a moment after the click.
    await page.getByRole('heading', { level: 1, name: 'Results' }).waitFor()
    await page.getByRole('button', { name: 'classification' }).click()
    await page.getByTestId('results-chart').waitFor({ timeout: 15_000 })
    const table = await app.call<ResultsTable>('results.table', { task: 'classification' })
    const f1 = table.cells.find((c) => c.metric === 'testF1Macro')!
    expect(f1.n).toBe(2)
    const text = await page.getByTestId('results-table').innerText()
    expect(text).toContain(f1.mean.toFixed(4))
    // Both seeds were tested on the same images: one best constant answer, drawn across the F1 chart.
    expect(table.trivialAnswers).toHaveLength(1)
    const chart = page.getByTestId('results-chart')
    await expect(chart.getByTestId('chart-reference-line').count()).resolves.toBe(1)
    await expect(chart.innerText()).resolves.toContain(
      `${table.trivialAnswers[0].answer}, F1 (macro) ${table.trivialAnswers[0].f1Macro.toFixed(3)}`,
    )
    // F1 is a share: the axis stops at 1, and a whisker the axis cuts has no cap at that end.
    const ticks = (await chart.locator('text.tick').allInnerTexts()).map(Number).filter(Number.isFinite)
    expect(Math.max(...ticks)).toBeLessThanOrEqual(1)
    const cut = [f1.mean + f1.ci95 > 1 && 'top', f1.mean - f1.ci95 < 0 && 'bottom'].filter(Boolean).join(' ')
    await expect(chart.locator('.error-bar').getAttribute('data-cut')).resolves.toBe(cut)
    await expect(chart.locator('.error-bar line').count()).resolves.toBe(
      3 - cut.split(' ').filter(Boolean).length,
    )
    await screenshot(page, 'classification-02-results-chart')
    const runs = (await app.call<RunSummary[]>('runs.list')).filter((r) => r.task === 'classification')
    expect(runs[0].notes.join(' ')).toMatch(/random weights/)
    const rows = page.locator('[data-testid=runs-table] tbody tr')
    await expect(rows.first().innerText()).resolves.toMatch(/random weights/)
    await rows.first().click()
    const detail = page.getByTestId('classification-detail')
    await detail.waitFor({ timeout: 10_000 })
    const matrix = await detail.getByRole('table', { name: 'Confusion matrix' }).innerText()
    for (const name of ['nevus', 'melanoma', 'keratosis']) expect(matrix).toContain(name)
    // The run beside the best constant answer on the same test images.
    await expect(detail.getByTestId('trivial-answer').innerText()).resolves.toMatch(
      /^(Beats|Does not beat) always answering “(nevus|melanoma|keratosis)”: F1 \(macro\) \d\.\d{3} against \d\.\d{3}/,
    )
    await detail.scrollIntoViewIfNeeded()
    await screenshot(page, 'classification-03-run-detail')
  })

  it("offers DINO's two recipes; the run records the chosen one's settings", async () => {
    const page = app.page
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Train' }).click()
    const form = page.getByRole('region', { name: 'Training settings' })
    await form.getByRole('button', { name: 'classification' }).click()
    await expect(form.getByRole('combobox', { name: 'DINO recipe' }).count()).resolves.toBe(0)
    await form.getByRole('radio', { name: /DINO/ }).check()
    const recipe = form.getByRole('combobox', { name: 'DINO recipe' })
    await expect(recipe.locator('option').allInnerTexts()).resolves.toEqual([
      "DINO authors' recipe",
      'As S4MI ran it',
    ])
    await recipe.selectOption('s4mi')
    await expect(form.innerText()).resolves.toContain('lucidrains/vit-pytorch')
    await form.getByRole('combobox', { name: 'Backbone' }).selectOption('resnet_tiny')
    // The settings listed are those of the chosen recipe and backbone: the authors' recipe gives a ResNet
    // SGD, lucidrains' gives Adam.
    const settings = form.getByTestId('preset-settings')
    await settings.locator('summary').click()
    // Each setting reads in words, under its phase; its stored name is in the tooltip, for the CLI's --set.
    const pretraining = settings.locator('section', {
      has: page.locator('h4', { hasText: 'DINO pretraining' }),
    })
    const optimizer = pretraining.locator('div', { has: page.locator('dt', { hasText: /^Optimiser$/ }) })
    await expect(optimizer.getAttribute('title')).resolves.toContain('--set dino.optimizer=')
    await expect(settings.innerText()).resolves.not.toMatch(/\bdino\.[a-zA-Z]/)
    await expect(settings.locator('h4').allInnerTexts()).resolves.toEqual(['DINO pretraining', 'Fine-tuning'])
    await expect.poll(() => optimizer.locator('dd').innerText()).toBe('adam')
    await recipe.selectOption('official')
    await expect.poll(() => optimizer.locator('dd').innerText()).toBe('sgd')
    await form.getByRole('combobox', { name: 'Backbone' }).selectOption('vit_tiny')
    await expect.poll(() => optimizer.locator('dd').innerText()).toBe('adamw')
    await recipe.selectOption('s4mi')
    await form.getByRole('combobox', { name: 'Backbone' }).selectOption('resnet_tiny')
    await expect.poll(() => optimizer.locator('dd').innerText()).toBe('adam')
    const run = await startAtFullLabels(app, form, 'dino', 'classification-04-dino-recipe')
    const detail = await app.call<RunDetail>('runs.get', { runId: run.id })
    // lucidrains' recipe: Adam, student temperature 0.9, both EMAs 0.9.
    expect(detail.hyper).toMatchObject({
      dinoPreset: 's4mi',
      backbone: 'resnet_tiny',
      'dino.optimizer': 'adam',
      'dino.studentTemp': 0.9,
      'dino.momentumTeacher': 0.9,
    })
    // Live, in words: DINO's loss with what shows a collapse (the teacher's entropy, KL to the centre) on the
    // loss chart; its teacher temperature and momentum, schedules, on a chart of their own.
    const lossChart = page.getByTestId('loss-chart')
    await lossChart
      .locator('path[data-series="KL to the centre"]')
      .waitFor({ state: 'attached', timeout: 120_000 })
    const lossLegend = await lossChart.locator('.legend-item').allInnerTexts()
    for (const term of ['DINO loss', "teacher's entropy", 'KL to the centre', 'learning rate'])
      expect(lossLegend.join(' | ')).toContain(term)
    const schedules = page.getByTestId('schedule-chart')
    await expect(
      schedules
        .locator('path[data-series]')
        .evaluateAll((ps) => ps.map((p) => p.getAttribute('data-series'))),
    ).resolves.toEqual(['teacher temperature', 'teacher momentum'])
    await expect(lossChart.locator('path[data-series="teacher momentum"]').count()).resolves.toBe(0)
    await lossChart.scrollIntoViewIfNeeded()
    await screenshot(page, 'classification-05-dino-live-curves')

    // Its run page, once it has finished: the settings under their stage, as the panel groups them.
    await expect
      .poll(async () => (await app.call<RunDetail>('runs.get', { runId: run.id })).status, {
        timeout: 120_000,
      })
      .toBe('succeeded')
    await page.goto(`${app.pageUrl.split('#')[0]}#/run/${run.id}`)
    const runSettings = page.getByTestId('run-hyper')
    await runSettings.waitFor({ timeout: 20_000 })
    await expect(runSettings.locator('th[scope=rowgroup]').allTextContents()).resolves.toEqual([
      'DINO pretraining',
      'Fine-tuning',
    ])
    await runSettings.scrollIntoViewIfNeeded()
    await screenshot(page, 'classification-06-dino-run-settings')
    // Its stored curves: pretraining then fine-tuning along one axis; the schedules and the validation score
    // each on a chart of their own.
    const charts = page.getByTestId('run-charts')
    await expect(charts.locator('h3').allTextContents()).resolves.toEqual([
      'Training loss',
      'Schedules',
      'Scores',
    ])
    const drawn = await charts
      .locator('path[data-series]')
      .evaluateAll((ps) => ps.map((p) => p.getAttribute('data-series')))
    expect(drawn).toEqual(
      expect.arrayContaining(['DINO loss', 'fine-tuning loss', 'teacher momentum', 'validation F1 (macro)']),
    )
    await charts.scrollIntoViewIfNeeded()
    await screenshot(page, 'classification-07-dino-run-curves')
    for (const job of (await app.call<JobState[]>('jobs.list')).filter((j) => j.status !== 'succeeded'))
      await app.call('jobs.cancel', { jobId: job.id })
  })
  it('trains CASS from the panel: its loss live, then both networks scored on the run page', async () => {
    const page = app.page
    await page.reload()
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Train' }).click()
    const form = page.getByRole('region', { name: 'Training settings' })
    await form.getByRole('button', { name: 'classification' }).click()
    await form.getByRole('radio', { name: /CASS/ }).check()
    // CASS pairs a CNN with a Transformer, so the panel offers pairs, not single backbones.
    const pair = form.getByRole('combobox', { name: 'Backbone' })
    await expect(pair.locator('option').allInnerTexts()).resolves.toEqual(
      expect.arrayContaining(['ResNet-50 + ViT-B/16', 'Small ResNet (quick) + Small ViT (quick)']),
    )
    await pair.selectOption('resnet_tiny+vit_tiny')
    const run = await startAtFullLabels(app, form, 'cass', 'classification-08-cass-panel')
    expect((await app.call<RunDetail>('runs.get', { runId: run.id })).hyper).toMatchObject({
      cnnBackbone: 'resnet_tiny',
      vitBackbone: 'vit_tiny',
      loss: 'focal',
    })
    // Live: CASS's own loss, in words, on the loss chart while it pretrains.
    const lossChart = page.getByTestId('loss-chart')
    await lossChart
      .locator('path[data-series="CASS loss (2 − 2·cos)"]')
      .waitFor({ state: 'attached', timeout: 120_000 })
    await lossChart.scrollIntoViewIfNeeded()
    await screenshot(page, 'classification-09-cass-live-loss')

    await expect
      .poll(async () => (await app.call<RunDetail>('runs.get', { runId: run.id })).status, {
        timeout: 180_000,
      })
      .toBe('succeeded')
    await page.goto(`${app.pageUrl.split('#')[0]}#/run/${run.id}`)
    // Both networks' scores, the CNN's under the usual names and the Transformer's as the ViT's.
    const scores = page.getByTestId('run-final-scores')
    await scores.waitFor({ timeout: 20_000 })
    const rows = await scores.locator('th[scope=row]').allInnerTexts()
    expect(rows).toEqual(expect.arrayContaining(['test F1 (macro)', 'ViT test F1 (macro)']))
    const charts = page.getByTestId('run-charts')
    const drawn = await charts
      .locator('path[data-series]')
      .evaluateAll((ps) => ps.map((p) => p.getAttribute('data-series')))
    expect(drawn).toEqual(expect.arrayContaining(['CASS loss (2 − 2·cos)', 'fine-tuning loss']))
    await scores.scrollIntoViewIfNeeded()
    await screenshot(page, 'classification-10-cass-run-scores')
  })
})

// Multi-label from the app: a project whose images may carry none or several labels trains a sigmoid per
// label (the label mode decides; nothing to say twice), and its run page gives each label's 2×2 and the
// best constant answer beside its score.
describe('classification: a multi-label project', () => {
  let app: BrowserApp
  beforeAll(async () => {
    app = await startApp()
    await app.call('demo.create', { variant: 'multi-label', count: 12 })
    await app.page.reload()
  })
  afterAll(async () => {
    await app?.close()
  })

  it("trains a classifier and shows each label's 2×2 on the run page", async () => {
    const page = app.page
    await app.call('train.start', {
      task: 'classification',
      method: 'supervised',
      labelFraction: 1,
      seeds: 1,
      preset: 'quick',
      overrides: { epochs: 3 },
    })
    await jobsDone(app, 'train', 180)
    const run = (await app.call<RunSummary[]>('runs.list')).find((r) => r.task === 'classification')
    if (!run) throw new Error('no classification run was stored')
    await page.goto(`${app.pageUrl.split('#')[0]}#/run/${run.id}`)
    const classes = page.getByTestId('classification-detail')
    await classes.waitFor({ timeout: 20_000 })
    for (const label of ['inflammation', 'vessel', 'necrosis'])
      await expect(classes.getByRole('table', { name: `${label} 2×2` }).count()).resolves.toBe(1)
    await expect(classes.getByRole('table', { name: 'Confusion matrix' }).count()).resolves.toBe(0)
    await expect(classes.getByTestId('trivial-answer').innerText()).resolves.toMatch(
      /answering yes to every label: F1 \(macro\) [\d.]+ against [\d.]+ on the same test images/,
    )
    await classes.scrollIntoViewIfNeeded()
    await screenshot(page, 'classification-11-multi-label-run')
  })
})
