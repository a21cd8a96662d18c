import { BrowserWindow, dialog } from 'electron'
import type { NativeDialog } from '../core/api/nativeDialog'

/** The system's file dialogs, attached to the window that asked (the contract's `dialog.pick`). */
export const electronDialog: NativeDialog = {
  async open(options) {
    const win = BrowserWindow.getFocusedWindow()
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
    return r.canceled ? [] : r.filePaths
  },
  async save(options) {
    const win = BrowserWindow.getFocusedWindow()
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
    return r.canceled || !r.filePath ? null : r.filePath
  },
}
