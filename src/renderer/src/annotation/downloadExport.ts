import type { ApiOutput } from '../../../shared/api'
import { DOWNLOAD_PATH } from '../../../shared/serveProtocol'
import { client } from '../api/client'
import { serveKey } from '../api/serveKey'

/** Serve mode: the server writes the export as a zip; the browser then saves it like any download. */
export async function downloadExport(
  format: 'masks' | 'geojson',
  maskValues: 'index' | 'binary',
): Promise<ApiOutput<'annotations.exportZip'>> {
  const r = await client.call('annotations.exportZip', { format, maskValues })
  const a = document.createElement('a')
  a.href = `${DOWNLOAD_PATH}${r.downloadId}?key=${encodeURIComponent(serveKey() ?? '')}`
  a.download = r.fileName
  document.body.append(a)
  a.click()
  a.remove()
  return r
}
