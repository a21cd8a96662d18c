import { z } from 'zod'
import type { ClassDef, ImageSummary, MaskRevision, ProjectInfo, RecentProject } from './types'
import type { ApiEvent, JobState } from './events'

/**
 * The one contract between the renderer and the core. Each method names its input schema (checked on the
 * receiving side: main's IPC handler or the HTTP server) and its output type. Main binds it to IPC, the
 * server to HTTP + WebSocket; the renderer calls it through one client with either transport.
 */

const output = <T>() => null as unknown as T

const projectDir = z.string().min(1, 'dir must be a folder path')
const id = z.number().int().positive()
const classInput = z.object({
  name: z.string().trim().min(1, 'class name must not be empty').max(64),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'color must look like #rrggbb'),
})
export const labelModeSchema = z.enum(['multi-class', 'multi-label'])
export const importFormatSchema = z.enum(['isic2017', 'dermofit', 'folder', 'images'])
export const presetSchema = z.enum(['quick', 'paper'])

export interface BackendStatus {
  name: string
  device: string
  accelerated: boolean
  slowFallback: boolean
  warning: string | null
}

export interface AppStatus {
  version: string
  transport: 'ipc' | 'http'
  project: ProjectInfo | null
  recent: RecentProject[]
  backend: BackendStatus | null
  jobs: JobState[]
}

export interface MaskState {
  head: MaskRevision | null
  undo: number
  redo: number
}

export const api = {
  'app.status': { input: z.object({}).strict(), output: output<AppStatus>() },
  'project.create': {
    input: z
      .object({
        dir: projectDir,
        name: z.string().trim().min(1, 'name must not be empty').max(200),
        labelMode: labelModeSchema,
        classes: z.array(classInput).max(256),
      })
      .strict(),
    output: output<ProjectInfo>(),
  },
  'project.open': { input: z.object({ dir: projectDir }).strict(), output: output<ProjectInfo>() },
  'project.close': { input: z.object({}).strict(), output: output<null>() },
  'project.info': { input: z.object({}).strict(), output: output<ProjectInfo>() },
  'demo.create': {
    input: z
      .object({
        dir: projectDir.optional(),
        variant: labelModeSchema.default('multi-class'),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1)
          .default(1),
        count: z.number().int().min(4).max(500).optional(),
      })
      .strict(),
    output: output<ProjectInfo>(),
  },
  'classes.add': { input: classInput.strict(), output: output<ClassDef[]>() },
  'images.list': { input: z.object({}).strict(), output: output<ImageSummary[]>() },
  'image.get': { input: z.object({ id }).strict(), output: output<ImageSummary>() },
  'labels.set': {
    input: z.object({ imageId: id, classIds: z.array(id).max(256).nullable() }).strict(),
    output: output<ImageSummary>(),
  },
  'mask.get': { input: z.object({ imageId: id }).strict(), output: output<MaskState>() },
  'mask.commit': {
    input: z
      .object({
        imageId: id,
        /** PNG of class indices (single channel), base64. */
        png: z
          .string()
          .min(1)
          .max(200 * 1024 * 1024),
        kind: z.enum(['edit', 'prediction']).default('edit'),
      })
      .strict(),
    output: output<MaskState>(),
  },
  'mask.undo': { input: z.object({ imageId: id }).strict(), output: output<MaskState>() },
  'mask.redo': { input: z.object({ imageId: id }).strict(), output: output<MaskState>() },
  'import.start': {
    input: z
      .object({ format: importFormatSchema, path: z.string().min(1, 'path must not be empty') })
      .strict(),
    output: output<{ jobId: string }>(),
  },
  'jobs.list': { input: z.object({}).strict(), output: output<JobState[]>() },
  'jobs.cancel': { input: z.object({ jobId: z.string().min(1) }).strict(), output: output<JobState>() },
} as const

export type Api = typeof api
export type ApiMethod = keyof Api
export type ApiInput<M extends ApiMethod> = z.input<Api[M]['input']>
export type ApiParsedInput<M extends ApiMethod> = z.output<Api[M]['input']>
export type ApiOutput<M extends ApiMethod> = Api[M]['output']

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(api, name)
}

/** What a failed call carries back across either transport. */
export interface ApiErrorBody {
  message: string
  /** Field-level problems when the input did not match the schema. */
  issues?: { path: string; message: string }[]
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Validates an input against its method's schema, with a message naming each bad field. */
export function parseApiInput<M extends ApiMethod>(method: M, input: unknown): ApiParsedInput<M> {
  const r = api[method].input.safeParse(input ?? {})
  if (r.success) return r.data as ApiParsedInput<M>
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }))
  throw new ApiError(
    `Invalid input for ${method}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  )
}

/** The client every part of the renderer uses; the transport behind it is IPC or HTTP. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>
  onEvent(listener: (event: ApiEvent) => void): () => void
  /** A URL the renderer can load a blob (image, tile, mask PNG) from. */
  blobUrl(hash: string): string
  readonly transport: 'ipc' | 'http'
}
