import type { DialogPurpose } from '../../shared/contract/dialogs'

/** What an open dialog may pick. */
export type OpenProperty = 'openFile' | 'openDirectory' | 'multiSelections' | 'createDirectory'

/**
 * The operating system's file dialogs, as the desktop app's main process offers them (Electron's
 * `dialog.showOpenDialog` / `showSaveDialog`). Serve mode has none: a browser uploads instead.
 */
export interface NativeDialog {
  /** The chosen paths; empty when the user cancelled. */
  open(options: { title: string; buttonLabel: string; properties: OpenProperty[] }): Promise<string[]>
  /** The path the user named; null when cancelled. */
  save(options: { title: string; buttonLabel: string }): Promise<string | null>
}

type DialogSpec =
  | { kind: 'open'; title: string; buttonLabel: string; properties: OpenProperty[]; allowsProjects: boolean }
  | { kind: 'save'; title: string; buttonLabel: string; allowsProjects: boolean }

/**
 * What each dialog asks. `allowsProjects`: the folder picked becomes one projects and exports may use (the
 * user chose it in their own system's dialog, so the app may write there).
 */
export const DIALOGS = {
  importFolder: {
    kind: 'open',
    title: 'Choose a dataset folder to import',
    buttonLabel: 'Import',
    properties: ['openDirectory'],
    allowsProjects: false,
  },
  importFiles: {
    kind: 'open',
    // One file: a path import takes one image or slide, or a folder of them.
    title: 'Choose an image or slide to import',
    buttonLabel: 'Import',
    properties: ['openFile'],
    allowsProjects: false,
  },
  importGeoJson: {
    kind: 'open',
    title: 'Choose a QuPath GeoJSON file to import',
    buttonLabel: 'Import',
    properties: ['openFile'],
    allowsProjects: false,
  },
  openProject: {
    kind: 'open',
    title: 'Open a project folder',
    buttonLabel: 'Open',
    properties: ['openDirectory'],
    allowsProjects: true,
  },
  newProject: {
    kind: 'save',
    title: 'Name the new project folder',
    buttonLabel: 'Create',
    allowsProjects: true,
  },
  exportFolder: {
    kind: 'save',
    title: 'Name the folder to export into',
    buttonLabel: 'Export',
    allowsProjects: true,
  },
} satisfies Record<DialogPurpose, DialogSpec>
