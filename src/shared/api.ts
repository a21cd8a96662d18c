import type { z } from 'zod'
import { annotationApi } from './contract/annotation'
import { annotationFilesApi } from './contract/annotationFiles'
import { demoApi } from './contract/demo'
import { dialogsApi } from './contract/dialogs'
import { experimentsApi } from './contract/experiments'
import { jobsApi } from './contract/jobs'
import { labelFractionApi } from './contract/labelFraction'
import { labellingLoopApi } from './contract/labellingLoop'
import { methodsApi } from './contract/methods'
import { projectApi } from './contract/project'
import { runsApi } from './contract/runs'
import { trainingApi } from './contract/training'
import { uploadsApi } from './contract/uploads'
import { weightsApi } from './contract/weights'
import { viewerApi } from './contract/viewer'
import type { MaskRevision, ProjectInfo, RecentProject } from './types'
import type { ApiEvent, JobState } from './events'

/**
 * The one contract between the renderer and the core. Each method names its input schema (checked on the
 * receiving side: main's IPC handler or the HTTP server) and its output type. Main binds it to IPC, the
 * server to HTTP + WebSocket; the renderer calls it through one client with either transport.
 */

export interface BackendStatus {
  name: string
  device: string
  accelerated: boolean
  slowFallback: boolean
  warning: string | null
  /** CPU threads training uses (the WebAssembly pool; all cores for libtensorflow; 1 on a GPU). */
  threads: number
  /** Why each faster backend was skipped, in the order tried. */
  skipped: string[]
}

export interface AppStatus {
  version: string
  transport: 'ipc' | 'http'
  project: ProjectInfo | null
  recent: RecentProject[]
  backend: BackendStatus | null
  /** The CPU thread setting for training and the most this machine allows. */
  trainingThreads: { threads: number; max: number }
  jobs: JobState[]
}

export interface MaskState {
  head: MaskRevision | null
  undo: number
  redo: number
}

export const api = {
  ...projectApi,
  ...annotationApi,
  ...annotationFilesApi,
  ...demoApi,
  ...jobsApi,
  ...trainingApi,
  ...runsApi,
  ...methodsApi,
  ...weightsApi,
  ...viewerApi,
  ...labelFractionApi,
  ...labellingLoopApi,
  ...experimentsApi,
  ...uploadsApi,
  ...dialogsApi,
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
  /** Set when the app itself failed (not the input): the id its log files the details under. */
  incident?: string
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
  /**
   * Sends a call that must outlive the page (the last stroke when the tab closes) without waiting for
   * its answer; false when it cannot be sent that way (too big). Serve mode only.
   */
  beacon?<M extends ApiMethod>(method: M, input: ApiInput<M>): boolean
  /** A URL the renderer can load a blob (image, tile, mask PNG) from. */
  blobUrl(hash: string): string
  readonly transport: 'ipc' | 'http'
}
