import { TOKEN_HEADER, UPLOAD_NAME_HEADER, UPLOAD_PATH } from '../../../shared/serveProtocol'
import { client } from '../api/client'
import { serveKey } from '../api/serveKey'

/** A file the user picked or dropped, with its path inside the picked folder (or just its name). */
export interface PickedFile {
  file: File
  path: string
}

/** Hidden files a file manager leaves in folders (.DS_Store, ._x) and hidden folders stay behind. */
export function withoutHidden(files: PickedFile[]): PickedFile[] {
  return files.filter((p) => !p.path.split('/').some((part) => part.startsWith('.')))
}

/** Files from a file input, with their paths inside a picked folder. */
export function pickedFiles(files: Iterable<File>): PickedFile[] {
  return withoutHidden([...files].map((file) => ({ file, path: file.webkitRelativePath || file.name })))
}

export interface UploadProgress {
  sent: number
  total: number
  file: string
  /** Files sent so far, and how many there are. */
  files: number
  count: number
}

/** A size as people read it: KiB below a MiB, MiB above. */
export function formatBytes(bytes: number): string {
  return bytes < 2 ** 20 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`
}

function putFile(
  uploadId: string,
  picked: PickedFile,
  onSent: (bytes: number) => void,
  signal: AbortSignal,
): Promise<void> {
  // XMLHttpRequest, not fetch: only it reports how much of a request body has gone out.
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', `${UPLOAD_PATH}${uploadId}`)
    xhr.setRequestHeader('content-type', 'application/octet-stream')
    xhr.setRequestHeader(TOKEN_HEADER, serveKey() ?? '')
    xhr.setRequestHeader(UPLOAD_NAME_HEADER, encodeURIComponent(picked.path))
    xhr.upload.onprogress = (e) => onSent(e.loaded)
    xhr.onload = () => {
      if (xhr.status === 200) return resolve()
      let message = `${picked.path}: the server answered ${xhr.status}`
      try {
        message = (JSON.parse(xhr.responseText) as { error: { message: string } }).error.message
      } catch {
        // Keep the status line.
      }
      reject(new Error(message))
    }
    xhr.onerror = () => reject(new Error(`${picked.path}: the upload broke off`))
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'))
    signal.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(picked.file)
  })
}

/**
 * Sends the files into a new upload, one after another, reporting bytes sent; returns the upload's id.
 * When a file is refused, the connection breaks or `signal` fires, the staged files are discarded.
 */
export async function uploadFiles(
  files: PickedFile[],
  onProgress: (p: UploadProgress) => void,
  signal: AbortSignal,
): Promise<string> {
  const total = files.reduce((n, f) => n + f.file.size, 0)
  const { uploadId, maxBytes } = await client.call('upload.begin', {})
  try {
    if (total > maxBytes)
      throw new Error(`The files hold ${formatBytes(total)}; an upload may hold ${formatBytes(maxBytes)}`)
    let done = 0
    const count = files.length
    for (const [i, f] of files.entries()) {
      signal.throwIfAborted()
      const at = (bytes: number) => onProgress({ sent: done + bytes, total, file: f.path, files: i, count })
      at(0)
      await putFile(uploadId, f, at, signal)
      done += f.file.size
    }
    onProgress({ sent: total, total, file: '', files: count, count })
    return uploadId
  } catch (e) {
    void client.call('upload.discard', { uploadId }).catch(() => undefined)
    throw e
  }
}
