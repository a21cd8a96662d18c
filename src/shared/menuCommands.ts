// What the desktop app's menu asks of the window, sent on the event stream (ApiEvent 'menu'). Project commands
// are the top bar's own actions; viewer commands carry the name of an action in the viewer's registry
// (src/renderer/src/viewer/actions), so a menu item and its key and button are one action.

/** The top bar's project actions: the same dialogs open from the menu. */
export type ProjectDialog = 'demo' | 'create' | 'open' | 'import'

export type MenuCommand =
  | { type: 'dialog'; dialog: ProjectDialog }
  | { type: 'navigate'; view: 'results' }
  /** A viewer action by its registry name ('history.undo', 'view.fit', …); ignored when no image is open. */
  | { type: 'action'; name: string }

/** A menu item that performs a viewer action: its name is the viewer registry's. */
export interface ViewerMenuItem {
  menu: 'edit' | 'view' | 'help'
  label: string
  action: string
  accelerator?: string
}

/**
 * The viewer's actions in the desktop menu, per OS (redo: ⇧⌘Z on macOS, Ctrl+Y on Windows, Ctrl+Shift+Z on
 * Linux). The single-key ones (F, O, +, −, ?) get no accelerator: a menu accelerator would take those keys
 * from text fields. A renderer test checks each name and accelerator against the registry.
 */
export function viewerMenuItems(platform: string): ViewerMenuItem[] {
  const redo = platform === 'darwin' ? 'Shift+CmdOrCtrl+Z' : platform === 'win32' ? 'Ctrl+Y' : 'Ctrl+Shift+Z'
  return [
    { menu: 'edit', label: 'Undo', action: 'history.undo', accelerator: 'CmdOrCtrl+Z' },
    { menu: 'edit', label: 'Redo', action: 'history.redo', accelerator: redo },
    { menu: 'view', label: 'Fit Image to Window', action: 'view.fit' },
    { menu: 'view', label: 'Image at Actual Size', action: 'view.actualSize' },
    { menu: 'view', label: 'Zoom Image In', action: 'view.zoomIn' },
    { menu: 'view', label: 'Zoom Image Out', action: 'view.zoomOut' },
    { menu: 'help', label: 'Keyboard Shortcuts', action: 'help.toggle' },
  ]
}
