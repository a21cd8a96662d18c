// Test output carries no tfjs "install our node backend" banner: the backend line says what runs.
import { quietTfjsNodeBanner } from '../../src/core/engine/backend/quietTfjs'

quietTfjsNodeBanner()
