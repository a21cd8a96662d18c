import { describe, expect, it } from 'vitest'
import { viewerMenuItems } from '../../../../shared/menuCommands'
import { viewerActions } from './registry'

describe("the desktop menu's viewer items are the registry's actions", () => {
  for (const platform of ['darwin', 'win32', 'linux'] as const)
    it(`names registered actions, with one of their own keys as accelerator (${platform})`, () => {
      const items = viewerMenuItems(platform)
      expect(items.length).toBeGreaterThanOrEqual(6)
      for (const item of items) {
        const action = viewerActions.find((a) => a.name === item.action)
        expect(action, `${item.action} is in the viewer's registry`).toBeDefined()
        if (!item.accelerator) continue
        // "Shift+CmdOrCtrl+Z" → { key: 'z', ctrl: true, shift: true }
        const parts = item.accelerator.split('+')
        const spec = {
          key: parts.at(-1)!.toLowerCase(),
          ctrl: parts.some((x) => ['CmdOrCtrl', 'Ctrl', 'Command'].includes(x)),
          shift: parts.includes('Shift'),
        }
        const keys = action!.keys!.map((k) => ({ key: k.key, ctrl: !!k.ctrl, shift: !!k.shift }))
        expect(keys, `${item.accelerator} for ${item.action}`).toContainEqual(spec)
      }
    })
})
