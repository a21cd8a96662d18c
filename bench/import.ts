// npm run bench:import — images per second for import + preprocessing, beside Pillow doing the same
// work in the same run (bench/import_pillow.py), printed as a ratio (> 1: faster than Pillow).
//   A. Dermatomyositis-like slides: 1408 × 1876 RGB JPEG + 0/255 mask, tiled to 480 (12 tiles each).
//   B. ISIC-sized dermoscopy JPEGs (3008 × 2000, a common ISIC-2017 size) + mask, resized to 480.
// Usage: npm run bench:import [-- --count 8]
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { importDataset } from '../src/core/data/importDataset'
import { closeProject, createProject } from '../src/core/store/project'

const count = Number(process.argv[process.argv.indexOf('--count') + 1]) || 8

/** Smooth, skin-like content with texture, so JPEG and PNG sizes are realistic (pure noise is not). */
async function writePhoto(file: string, width: number, height: number, seed: number): Promise<void> {
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.hypot(x - width / 2, y - height / 2) / Math.min(width, height)
      const wave = 20 * Math.sin((x + seed * 37) / 23) * Math.cos((y - seed * 11) / 31)
      const grain = ((x * 7919 + y * 104729 + seed * 31) % 17) - 8
      const i = (y * width + x) * 3
      const lesion = r < 0.25 ? 90 : 0
      data[i] = Math.max(0, Math.min(255, 220 - lesion + wave + grain))
      data[i + 1] = Math.max(0, Math.min(255, 170 - lesion * 0.8 + wave * 0.7 + grain))
      data[i + 2] = Math.max(0, Math.min(255, 150 - lesion * 0.6 + wave * 0.5 + grain))
    }
  }
  await sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toFile(file)
}

async function writeMask(file: string, width: number, height: number): Promise<void> {
  const data = Buffer.alloc(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (Math.hypot(x - width / 2, y - height / 2) < Math.min(width, height) / 4) data[y * width + x] = 255
    }
  }
  await sharp(data, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(file)
}

function findPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import PIL'], { stdio: 'ignore' }).status === 0) return py
  }
  return null
}

interface Workload {
  name: string
  format: 'folder' | 'isic2017'
  width: number
  height: number
  /** Writes the dataset in its layout; returns image:mask pairs for the Pillow script. */
  write(root: string): Promise<string[]>
}

const workloads: Workload[] = [
  {
    name: 'A. 1408 × 1876 slides, import + tiling to 480 (12 tiles + 12 mask tiles each)',
    format: 'folder',
    width: 1408,
    height: 1876,
    async write(root) {
      const pairs: string[] = []
      fs.mkdirSync(path.join(root, 'images'), { recursive: true })
      fs.mkdirSync(path.join(root, 'masks'), { recursive: true })
      for (let i = 0; i < count; i++) {
        const img = path.join(root, 'images', `s${i}.jpg`)
        const mask = path.join(root, 'masks', `s${i}.png`)
        await writePhoto(img, this.width, this.height, i)
        await writeMask(mask, this.width, this.height)
        pairs.push(`${img}:${mask}`)
      }
      return pairs
    },
  },
  {
    name: 'B. ISIC-sized 3008 × 2000 JPEGs, import + bilinear resize to 480',
    format: 'isic2017',
    width: 3008,
    height: 2000,
    async write(root) {
      const pairs: string[] = []
      const data = path.join(root, 'ISIC-2017_Training_Data')
      const gt = path.join(root, 'ISIC-2017_Training_Part1_GroundTruth')
      fs.mkdirSync(data, { recursive: true })
      fs.mkdirSync(gt, { recursive: true })
      const rows = ['image_id,melanoma,seborrheic_keratosis']
      for (let i = 0; i < count; i++) {
        const id = `ISIC_${String(i).padStart(7, '0')}`
        await writePhoto(path.join(data, `${id}.jpg`), this.width, this.height, 100 + i)
        await writeMask(path.join(gt, `${id}_segmentation.png`), this.width, this.height)
        rows.push(`${id},0.0,0.0`)
        pairs.push(`${path.join(data, `${id}.jpg`)}:${path.join(gt, `${id}_segmentation.png`)}`)
      }
      fs.writeFileSync(path.join(root, 'ISIC-2017_Training_Part3_GroundTruth.csv'), rows.join('\n') + '\n')
      return pairs
    },
  },
]

async function main() {
  const python = findPython()
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's4mi-bench-import-'))
  console.log(
    `bench:import — ${count} images per workload, ${os.cpus().length} CPU(s), sharp ${sharp.versions.vips} (libvips)`,
  )
  if (!python) console.log('Pillow not found (apt-get install -y python3-pil): printing our speed only')
  try {
    for (const w of workloads) {
      const root = path.join(tmp, w.format)
      const pairs = await w.write(root)
      let pillowRate = NaN
      if (python) {
        const r = spawnSync(
          python,
          [
            path.join(__dirname, 'import_pillow.py'),
            w.format === 'folder' ? 'tile' : 'resize',
            path.join(tmp, `pil-${w.format}`),
            ...pairs,
          ],
          {
            encoding: 'utf8',
          },
        )
        if (r.status !== 0) throw new Error(`Pillow reference failed: ${r.stderr}`)
        const { seconds, images } = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as {
          seconds: number
          images: number
        }
        pillowRate = images / seconds
      }
      const rates: number[] = []
      for (const concurrency of [1, 2]) {
        const project = createProject(path.join(tmp, `proj-${w.format}-${concurrency}`), {
          name: 'bench',
          labelMode: 'multi-class',
          classes: [],
        })
        const t0 = performance.now()
        const s = await importDataset(project, { format: w.format, path: root }, { concurrency })
        const seconds = (performance.now() - t0) / 1000
        closeProject(project)
        rates.push(s.images / seconds)
      }
      console.log(`\n${w.name}`)
      console.log(`  S4MI (sharp), 1 image at a time : ${rates[0].toFixed(2)} images/s`)
      console.log(`  S4MI (sharp), 2 images at a time: ${rates[1].toFixed(2)} images/s`)
      if (python) {
        console.log(`  Pillow ${'(same work, one process)'.padEnd(24)}: ${pillowRate.toFixed(2)} images/s`)
        console.log(
          `  ratio S4MI / Pillow: ${(rates[0] / pillowRate).toFixed(2)}× (1 at a time), ${(rates[1] / pillowRate).toFixed(2)}× (2 at a time)`,
        )
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

void main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
})
