import { Option } from 'commander'
import {
  backendChoices,
  describeBackend,
  selectBackend,
  type BackendChoice,
  type BackendInfo,
} from '../../core/engine/backend/selectBackend'

/**
 * `--backend <name>`: run on this tfjs backend instead of the first that works in the chain
 * (`s4mi info --backend` prints the chain). `what` says what runs on it: "backend", "training backend".
 */
export function backendOption(what = 'backend'): Option {
  return new Option('--backend <backend>', `force a ${what}`).choices(backendChoices)
}

/**
 * The backend a command's tfjs work runs on (predict, saliency, a model's import), chosen by `--backend` and
 * `--threads` and said on stderr, so stdout keeps the command's own output. Without it the first tfjs op
 * fails on a backend never initialised.
 */
export async function chooseBackend(o: { backend?: BackendChoice; threads?: number }): Promise<BackendInfo> {
  const backend = await selectBackend({ backend: o.backend, threads: o.threads })
  console.error(`Backend: ${describeBackend(backend)}`)
  return backend
}
