import { z } from 'zod'
import { output } from './schemaParts'

/** Why the renderer asks for a file dialog: each asks its own question. */
export const dialogPurposeSchema = z.enum([
  'importFolder',
  'importFiles',
  'importGeoJson',
  'openProject',
  'newProject',
  'exportFolder',
])

export type DialogPurpose = z.infer<typeof dialogPurposeSchema>

/**
 * The desktop app's native file dialogs (main process). Serve mode answers `available: false`, and the
 * renderer offers uploads and typed paths instead.
 */
export const dialogsApi = {
  'dialog.pick': {
    input: z.object({ purpose: dialogPurposeSchema }).strict(),
    /** `paths` is empty when the user cancelled. */
    output: output<{ available: false } | { available: true; paths: string[] }>(),
  },
} as const
