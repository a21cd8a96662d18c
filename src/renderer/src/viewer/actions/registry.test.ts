import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import { actionTitle } from '../ActionButton'
import { ShortcutsSheet } from '../ShortcutsSheet'
import { GESTURES, PAN_HOLD_KEY } from './gestures'
import * as historyModule from './historyActions'
import * as imageModule from './imageActions'
import { formatKey, formatKeys, keyMatches, type KeyPress, type KeySpec } from './keys'
import * as maskModule from './maskActions'
import * as panelModule from './panelActions'
import { activeScopes, resolveKey, viewerActions } from './registry'
import * as toolModule from './toolActions'
import type { Action, KeyScope, ViewerCommands } from './types'
import * as viewModule from './viewActions'

const SCOPES: KeyScope[] = ['drawing', 'help', 'panel', 'viewer']
const scopeOf = (a: Action) => a.scope ?? 'viewer'

/** The key presses a spec stands for, as a browser reports them (Shift either way where it does not count). */
function pressesFor(spec: KeySpec): KeyPress[] {
  const letter = /^[a-z]$/.test(spec.key)
  const digit = /^[0-9]$/.test(spec.key)
  const shifts = spec.shift === undefined && !letter && !digit ? [false, true] : [!!spec.shift]
  const mods = spec.ctrl
    ? [
        { ctrlKey: true, metaKey: false },
        { ctrlKey: false, metaKey: true },
      ]
    : [{ ctrlKey: false, metaKey: false }]
  return shifts.flatMap((shiftKey) =>
    mods.map((m) => ({
      ...m,
      shiftKey,
      altKey: false,
      key: letter && shiftKey ? spec.key.toUpperCase() : spec.key,
      code: digit ? `Digit${spec.key}` : letter ? `Key${spec.key.toUpperCase()}` : '',
    })),
  )
}

function fakeCommands(over: Partial<ViewerCommands> = {}): ViewerCommands {
  return {
    fit: vi.fn(),
    actualSize: vi.fn(),
    zoomBy: vi.fn(),
    look: vi.fn(),
    tool: 'brush',
    selectTool: vi.fn(),
    shapeInProgress: false,
    finishShape: vi.fn(),
    cancelShape: vi.fn(),
    resizeBrush: vi.fn(),
    paintWith: vi.fn(),
    paintClassCount: 2,
    canUndo: true,
    canRedo: true,
    undo: vi.fn(),
    redo: vi.fn(),
    toggleLabel: vi.fn(),
    clearLabels: vi.fn(),
    labelled: true,
    maskVisible: true,
    toggleMask: vi.fn(),
    predictionVisible: true,
    togglePrediction: vi.fn(),
    close: vi.fn(),
    next: vi.fn(),
    previous: vi.fn(),
    help: false,
    toggleHelp: vi.fn(),
    panel: null,
    togglePanel: vi.fn(),
    closePanel: vi.fn(),
    ...over,
  }
}

const press = (v: ViewerCommands, spec: KeySpec) => {
  const hit = resolveKey(viewerActions, pressesFor(spec)[0], activeScopes(v))
  hit?.action.perform(v, hit.key)
  return hit?.action.name ?? null
}

describe('the viewer actions registry', () => {
  it('registers every action once, under a unique name', () => {
    const names = viewerActions.map((a) => a.name)
    expect(new Set(names).size).toBe(names.length)
    // Whatever an action module exports (alone or in a list) is in the registry: nothing is declared twice or left out.
    const exported = [historyModule, imageModule, maskModule, panelModule, toolModule, viewModule].flatMap(
      (m) => Object.values(m as Record<string, Action | Action[]>).flat(),
    )
    for (const a of exported) expect(viewerActions).toContain(a)
  })

  it('reaches every action by each of its keys, in its scope', () => {
    let keys = 0
    for (const action of viewerActions)
      for (const spec of action.keys ?? [])
        for (const e of pressesFor(spec)) {
          const scopes: KeyScope[] = scopeOf(action) === 'viewer' ? ['viewer'] : [scopeOf(action), 'viewer']
          const hit = resolveKey(viewerActions, e, scopes)
          expect(hit?.action.name, `${formatKey(spec)} → ${action.name}`).toBe(action.name)
          expect(hit?.key).toBe(spec)
          keys++
        }
    expect(keys).toBeGreaterThan(40)
  })

  it('gives no key to two actions in the same scope (nor to the held pan key)', () => {
    for (const scope of SCOPES) {
      const inScope = viewerActions.filter((a) => scopeOf(a) === scope)
      const held = scope === 'viewer' ? [{ name: 'pan (held)', keys: [PAN_HOLD_KEY] }] : []
      const all = [...inScope, ...held]
      for (const a of all)
        for (const spec of a.keys ?? [])
          for (const e of pressesFor(spec)) {
            const owners = all.filter((b) => b.keys?.some((k) => keyMatches(k, e))).map((b) => b.name)
            expect(owners, `${formatKey(spec)} in ${scope}`).toEqual([a.name])
          }
    }
  })

  it('lists every action that has keys in the shortcuts sheet, with the keys its tooltip shows', () => {
    const html = renderToStaticMarkup(
      createElement(ShortcutsSheet, { actions: viewerActions, onClose: () => {} }),
    )
    const keyed = viewerActions.filter((a) => a.keys?.length)
    expect(keyed.length).toBeGreaterThan(25)
    for (const a of keyed) {
      const row = new RegExp(
        `<tr data-action="${a.name}"><th scope="row"><kbd>([^<]*)</kbd></th><td>([^<]*)</td>`,
      )
      const m = row.exec(html)
      expect(m, a.name).not.toBeNull()
      const shown = m![1].replace(/&amp;/g, '&')
      expect(shown).toBe(formatKeys(a.keys!))
      // The button's tooltip ends with the same keys.
      expect(actionTitle(a)).toBe(`${a.label} (${shown})`)
    }
    for (const g of GESTURES) expect(html).toContain(g.label)
  })

  it('performs what each key says', () => {
    const v = fakeCommands()
    expect(press(v, { key: '2' })).toBe('labels.set')
    expect(v.toggleLabel).toHaveBeenCalledWith(2)
    expect(press(v, { key: '3', shift: true })).toBe('mask.paintClass')
    expect(v.paintWith).toHaveBeenCalledWith(3)
    press(v, { key: 'ArrowLeft' })
    press(v, { key: 'ArrowDown' })
    expect(vi.mocked(v.look).mock.calls).toEqual([
      [-1, 0],
      [0, 1],
    ])
    press(v, { key: 'p' })
    expect(v.selectTool).toHaveBeenCalledWith('polygon')
    press(v, { key: 'z', ctrl: true, shift: true })
    press(v, { key: 'y', ctrl: true })
    expect(v.redo).toHaveBeenCalledTimes(2)
    expect(v.undo).not.toHaveBeenCalled()
    press(v, { key: 'n', shift: true })
    expect(v.previous).toHaveBeenCalledOnce()
    expect(v.next).not.toHaveBeenCalled()
    // Keys no action has, and Alt with any key, do nothing.
    expect(press(v, { key: 'q' })).toBeNull()
    expect(resolveKey(viewerActions, { ...pressesFor({ key: 'b' })[0], altKey: true }, ['viewer'])).toBeNull()
  })

  it('Escape acts on the innermost thing open: the shape drawn, the sheet, the panel, then the image', () => {
    const esc = { key: 'Escape' }
    expect(press(fakeCommands({ shapeInProgress: true, help: true, panel: 'export' }), esc)).toBe(
      'shape.cancel',
    )
    expect(press(fakeCommands({ help: true, panel: 'export' }), esc)).toBe('help.close')
    expect(press(fakeCommands({ panel: 'export' }), esc)).toBe('panel.close')
    const v = fakeCommands()
    expect(press(v, esc)).toBe('image.close')
    expect(v.close).toHaveBeenCalledOnce()
    // Enter finishes a polygon only while one is drawn; other keys still work while drawing.
    expect(press(fakeCommands(), { key: 'Enter' })).toBeNull()
    expect(press(fakeCommands({ shapeInProgress: true }), { key: 'Enter' })).toBe('shape.finish')
    expect(press(fakeCommands({ shapeInProgress: true }), { key: 'f' })).toBe('view.fit')
  })

  it('spells keys as people read them', () => {
    expect(
      formatKeys([
        { key: 'z', ctrl: true, shift: true },
        { key: 'y', ctrl: true },
      ]),
    ).toBe('Ctrl+Shift+Z · Ctrl+Y')
    expect(formatKeys(maskModule.paintClass.keys!)).toBe('Shift+1…9')
    expect(formatKeys(maskModule.setLabel.keys!)).toBe('1…9')
    expect(formatKeys([{ key: 'Escape' }, { key: '-' }, { key: ' ' }])).toBe('Esc · − · Space')
    expect(actionTitle(maskModule.setLabel, 'stroma', 1)).toBe('stroma (2)')
  })
})
