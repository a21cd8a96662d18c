import { EventEmitter } from 'node:events'
import type { BackendStatus } from '../../shared/api'
import type { ApiEvent } from '../../shared/events'
import { JobQueue } from '../jobs/jobQueue'
import { probeBackend } from '../train/backendProbe'
import type { WorkerHardware } from '../train/workerProtocol'
import type { GpuAdapterReport } from '../../shared/gpuAdapters'
import { forkLauncher, type WorkerLauncher } from '../train/workerLauncher'
import path from 'node:path'
import type { RecentProject } from '../../shared/types'
import { readRecentProjects, rememberProject } from '../store/recentProjects'
import { closeProject, getMeta, openProject, type Project } from '../store/project'
import { readAppSettings, updateAppSettings } from '../store/appSettings'
import { defaultThreadCount, maxThreadCount, parseThreadCount } from '../engine/backend/threadCount'
import { ProjectRoots } from './projectRoots'
import { UploadStaging, type UploadLimits } from './uploadStaging'
import { DownloadStaging } from './downloadStaging'
import type { NativeDialog } from './nativeDialog'

/**
 * What one window (or one serve-mode server) works on: the open project, the job queue, and the
 * event stream every transport forwards.
 */
export class Session {
  readonly jobs = new JobQueue()
  private project: Project | null = null
  private events = new EventEmitter()
  backend: BackendStatus | null = null
  /** Where the API may create, open and export projects (see ProjectRoots). */
  readonly roots: ProjectRoots
  /** Files sent from a browser, staged in the data folder until an import takes them. */
  readonly uploads: UploadStaging
  /** Files prepared for a browser to download (exports as zips), sent once. */
  readonly downloads: DownloadStaging

  constructor(
    readonly options: {
      dataDir: string
      version: string
      transport: 'ipc' | 'http'
      defaultProjectsDir: string
      /** Starts a training worker process; Electron passes a utilityProcess launcher. */
      launchWorker?: WorkerLauncher
      /** Folders projects may live in besides the data folder and the default projects folder. */
      projectRoots?: string[]
      /** Desktop: projects the user opened before (the recent list) may be opened again wherever they are. */
      trustRecentProjects?: boolean
      /** The size limits of browser uploads (tests make them small). */
      uploadLimits?: UploadLimits
      /** Desktop: the system's file dialogs (serve mode has none and uploads instead). */
      nativeDialog?: NativeDialog
    },
  ) {
    this.roots = new ProjectRoots([
      options.dataDir,
      options.defaultProjectsDir,
      ...(options.projectRoots ?? []),
    ])
    this.uploads = new UploadStaging(path.join(options.dataDir, 'uploads'), options.uploadLimits)
    this.downloads = new DownloadStaging(path.join(options.dataDir, 'downloads'))
    this.events.setMaxListeners(100)
    this.jobs.onChange((job) => this.emit({ type: 'job', job }))
  }

  onEvent(listener: (e: ApiEvent) => void): () => void {
    this.events.on('event', listener)
    return () => this.events.off('event', listener)
  }

  emit(event: ApiEvent): void {
    this.events.emit('event', event)
  }

  /** What Chromium reports for WebGPU/WebGL2 (the desktop app sets it; serve mode has none). */
  gpu: GpuAdapterReport | undefined = undefined

  /** What each training worker is told: the thread setting and, in the desktop app, the GPU adapters. */
  get hardware(): WorkerHardware {
    return { threads: this.threads, ...(this.gpu ? { gpu: this.gpu } : {}) }
  }

  /** CPU threads each training worker may use: the user's setting, else all cores but one. */
  get threads(): number {
    const stored = readAppSettings(this.options.dataDir).trainingThreads
    return stored != null && stored >= 1 ? Math.min(stored, maxThreadCount()) : defaultThreadCount()
  }

  /** Stores the thread setting for the next runs (a running one keeps its own) and asks the backend again. */
  async setThreads(threads: number): Promise<BackendStatus> {
    const n = parseThreadCount(threads, 'threads')
    if (n > maxThreadCount())
      throw new Error(`threads: this machine has ${maxThreadCount()} usable cores, got ${n}`)
    const unchanged = readAppSettings(this.options.dataDir).trainingThreads === n
    updateAppSettings(this.options.dataDir, { trainingThreads: n })
    // The same setting as the last probe's: nothing to find out again.
    if (unchanged && this.backend && this.backend.name !== 'unavailable' && !this.probing) return this.backend
    return this.detectBackend()
  }

  /**
   * Finds out (in a worker) which backend training will use, and tells every window. A probe starts a worker
   * process, so they never pile up: while one runs, every caller shares the single one queued after it.
   */
  detectBackend(): Promise<BackendStatus> {
    if (!this.probing) {
      this.probing = this.probeOnce().finally(() => (this.probing = null))
      return this.probing
    }
    this.probeNext ??= this.probing.then(() => {
      this.probeNext = null
      return this.detectBackend()
    })
    return this.probeNext
  }

  private probing: Promise<BackendStatus> | null = null
  private probeNext: Promise<BackendStatus> | null = null

  private async probeOnce(): Promise<BackendStatus> {
    try {
      this.backend = await probeBackend(this.launchWorker, undefined, this.hardware)
    } catch (e) {
      this.backend = {
        name: 'unavailable',
        device: 'none',
        accelerated: false,
        slowFallback: true,
        threads: 0,
        skipped: [],
        warning: `No training backend could start: ${e instanceof Error ? e.message : String(e)}`,
      }
    }
    this.emit({ type: 'backend', backend: this.backend })
    return this.backend
  }

  /** Projects opened before that this session may open again (serve mode: those inside its roots). */
  recentProjects(): RecentProject[] {
    const recent = readRecentProjects(this.options.dataDir)
    return this.options.trustRecentProjects ? recent : recent.filter((r) => this.roots.allows(r.dir))
  }

  /** A folder the API was given for a project or an export, checked against the allowed roots. */
  confinedDir(dir: string, field = 'dir'): string {
    if (this.options.trustRecentProjects && path.isAbsolute(dir)) {
      const known = readRecentProjects(this.options.dataDir).some(
        (r) => path.resolve(r.dir) === path.resolve(dir),
      )
      if (known) return path.resolve(dir)
    }
    return this.roots.confine(dir, field)
  }

  get launchWorker(): WorkerLauncher {
    return this.options.launchWorker ?? forkLauncher
  }

  get current(): Project | null {
    return this.project
  }

  requireProject(): Project {
    if (!this.project) throw new Error('No project is open: open or create one first')
    return this.project
  }

  open(dir: string): Project {
    const next = openProject(dir)
    this.close()
    this.project = next
    rememberProject({ dir: next.dir, name: getMeta(next, 'name') ?? dir }, this.options.dataDir)
    this.emit({ type: 'project', change: 'opened' })
    return next
  }

  /** Adopts a project that was just created by a job or handler. */
  adopt(project: Project): void {
    if (this.project !== project) this.close()
    this.project = project
    rememberProject({ dir: project.dir, name: getMeta(project, 'name') ?? project.dir }, this.options.dataDir)
    this.emit({ type: 'project', change: 'opened' })
  }

  close(): void {
    if (!this.project) return
    closeProject(this.project)
    this.project = null
    this.emit({ type: 'project', change: 'closed' })
  }
}
