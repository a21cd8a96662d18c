import { Option } from 'commander'
import { backendChoices } from '../../core/engine/backend/selectBackend'

/**
 * `--backend <name>`: run on this tfjs backend instead of the first that works in the chain
 * (`s4mi info --backend` prints the chain). `what` says what runs on it: "backend", "training backend".
 */
export function backendOption(what = 'backend'): Option {
  return new Option('--backend <backend>', `force a ${what}`).choices(backendChoices)
}
