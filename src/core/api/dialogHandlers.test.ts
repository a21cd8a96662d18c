import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from './dispatch'
import { createHandlers } from './handlers'
import type { NativeDialog } from './nativeDialog'
import { Session } from './session'

// The desktop's native dialogs reach the renderer through the contract like every other call. Electron
// cannot run here, so a fake dialog stands in for `dialog.showOpenDialog` / `showSaveDialog`.
let tmp: string
const sessions: Session[] = []

function fakeDialog(answer: { open?: string[]; save?: string | null }) {
  const asked: { kind: string; title: string; properties?: string[] }[] = []
  const dialog: NativeDialog = {
    open: async (o) => {
      asked.push({ kind: 'open', title: o.title, properties: o.properties })
      return answer.open ?? []
    },
    save: async (o) => {
      asked.push({ kind: 'save', title: o.title })
      return answer.save ?? null
    },
  }
  return { dialog, asked }
}

function sessionWith(nativeDialog?: NativeDialog): Session {
  const s = new Session({
    dataDir: path.join(tmp, 'data'),
    version: 'test',
    transport: nativeDialog ? 'ipc' : 'http',
    defaultProjectsDir: path.join(tmp, 'projects'),
    nativeDialog,
  })
  sessions.push(s)
  return s
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-dialog-'))
})
afterEach(() => {
  for (const s of sessions.splice(0)) s.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('dialog.pick', () => {
  it('says native dialogs are unavailable in serve mode', async () => {
    const out = await dispatch(createHandlers(sessionWith()), 'dialog.pick', { purpose: 'importFolder' })
    expect(out).toEqual({ ok: true, result: { available: false } })
  })

  it('asks the open dialog for a dataset folder and returns what was picked', async () => {
    const { dialog, asked } = fakeDialog({ open: ['/data/ISIC-2017'] })
    const session = sessionWith(dialog)
    const out = await dispatch(createHandlers(session), 'dialog.pick', { purpose: 'importFolder' })
    expect(out).toEqual({ ok: true, result: { available: true, paths: ['/data/ISIC-2017'] } })
    expect(asked).toEqual([
      { kind: 'open', title: 'Choose a dataset folder to import', properties: ['openDirectory'] },
    ])
    // Reading a dataset does not make its folder one projects may be written in.
    expect(session.roots.allows('/data/ISIC-2017')).toBe(false)
  })

  it('returns no paths when the user cancels', async () => {
    const { dialog } = fakeDialog({ save: null })
    const out = await dispatch(createHandlers(sessionWith(dialog)), 'dialog.pick', {
      purpose: 'exportFolder',
    })
    expect(out).toEqual({ ok: true, result: { available: true, paths: [] } })
  })

  it('lets a project be created where the save dialog named it, outside the usual folders', async () => {
    const elsewhere = path.join(tmp, 'elsewhere', 'Melanoma study')
    const { dialog, asked } = fakeDialog({ save: elsewhere })
    const handlers = createHandlers(sessionWith(dialog))
    const create = () =>
      dispatch(handlers, 'project.create', {
        dir: elsewhere,
        name: 'M',
        labelMode: 'multi-class',
        classes: [],
      })
    expect(await create()).toMatchObject({ ok: false })
    await dispatch(handlers, 'dialog.pick', { purpose: 'newProject' })
    expect(asked[0]).toEqual({ kind: 'save', title: 'Name the new project folder' })
    expect(await create()).toMatchObject({ ok: true, result: { name: 'M', dir: elsewhere } })
  })

  it('refuses a purpose it does not know', async () => {
    const { dialog, asked } = fakeDialog({ open: ['/x'] })
    const out = await dispatch(createHandlers(sessionWith(dialog)), 'dialog.pick', { purpose: 'anything' })
    expect(out.ok).toBe(false)
    expect(asked).toEqual([])
  })
})
