import { createHash } from 'node:crypto'
import { decodeCheckpoint, encodeCheckpoint } from '../engine/checkpointCodec'
import type { PretrainedBackbones, PretrainKey } from '../methods/method'
import { settingsText } from '../methods/classification/pretrainedBackbone'
import type { Project } from '../store/project'
import {
  findPretrainedBackbone,
  putPretrainedBackbone,
  type PretrainedBackboneKey,
} from '../store/pretrainedBackbones'

/** The settings' fingerprint in a stored key: hashed here, by the host, so a trainer never needs crypto. */
function settingsHash(settings: PretrainKey['settings']): string {
  return createHash('sha256').update(settingsText(settings)).digest('hex').slice(0, 16)
}

/**
 * Pretrained backbones kept in the project: one row per pretraining key, its blob the last epoch's
 * checkpoint while it runs ('partial') and the finished backbone afterwards ('complete'). Any run with
 * the same key — another label fraction, or the same run resumed after a kill — finds it.
 */
export function projectBackbones(project: Project): PretrainedBackbones {
  const rowKey = (k: PretrainKey): PretrainedBackboneKey => ({
    method: k.method,
    backbone: k.backbone,
    preset: k.preset,
    seed: k.seed,
    datasetVersion: k.datasetVersion,
    settingsHash: settingsHash(k.settings),
  })
  return {
    load: async (k) => {
      const row = findPretrainedBackbone(project, rowKey(k))
      if (!row || row.status !== 'complete') return null
      return { id: row.id, state: decodeCheckpoint(project.blobs.get(row.blob)).state }
    },
    checkpoint: (k) => ({
      save: async (epoch, state) => {
        const blob = project.blobs.put(encodeCheckpoint(epoch, state))
        putPretrainedBackbone(project, rowKey(k), { settings: k.settings, status: 'partial', epoch, blob })
      },
      restore: async () => {
        const row = findPretrainedBackbone(project, rowKey(k))
        return row && row.status === 'partial' ? decodeCheckpoint(project.blobs.get(row.blob)) : null
      },
    }),
    save: async (k, epoch, state) => {
      const blob = project.blobs.put(encodeCheckpoint(epoch, state))
      return putPretrainedBackbone(project, rowKey(k), {
        settings: k.settings,
        status: 'complete',
        epoch,
        blob,
      })
    },
  }
}
