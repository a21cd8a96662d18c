// A prebuilt-binary archive as better-sqlite3 publishes them (build/Release/better_sqlite3.node in a .tar.gz),
// placed in a fake npm cache exactly where prebuild-install looks before it downloads anything.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import zlib from 'node:zlib'

const require = createRequire(import.meta.url)

function tarHeader(name: string, size: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(512)
  h.write(name, 0, 100, 'utf8')
  h.write(type === '5' ? '0000755\0' : '0000644\0', 100)
  h.write('0000000\0', 108)
  h.write('0000000\0', 116)
  h.write(size.toString(8).padStart(11, '0') + '\0', 124)
  h.write('00000000000\0', 136)
  h.write('        ', 148) // checksum counts as spaces while it is computed
  h.write(type, 156)
  h.write('ustar\0' + '00', 257)
  let sum = 0
  for (const b of h) sum += b
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148)
  return h
}

/** A minimal ustar archive, gzipped: enough for prebuild-install's tar-fs. */
export function tarGz(files: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = []
  const dirs = new Set<string>()
  for (const f of files) {
    const segments = f.name.split('/').slice(0, -1)
    for (let i = 1; i <= segments.length; i++) {
      const dir = segments.slice(0, i).join('/') + '/'
      if (!dirs.has(dir)) {
        dirs.add(dir)
        parts.push(tarHeader(dir, 0, '5'))
      }
    }
    parts.push(
      tarHeader(f.name, f.data.length, '0'),
      f.data,
      Buffer.alloc((512 - (f.data.length % 512)) % 512),
    )
  }
  parts.push(Buffer.alloc(1024))
  return zlib.gzipSync(Buffer.concat(parts))
}

/** Bytes that pass for a shared library of the platform (the right magic), and say what they are. */
export function fakeAddon(platform: string, label: string): Buffer {
  const magic =
    platform === 'win32'
      ? Buffer.from('MZ\x90\x00', 'latin1')
      : platform === 'darwin'
        ? Buffer.from([0xcf, 0xfa, 0xed, 0xfe])
        : Buffer.from('\x7fELF', 'latin1')
  return Buffer.concat([magic, Buffer.from(`\0${label}`)])
}

/**
 * Writes the archive prebuild-install would download for better-sqlite3 on this Electron ABI into
 * `<npmCache>/_prebuilds`, under the name prebuild-install itself computes. Returns its download URL.
 */
export function putPrebuildInCache(
  npmCache: string,
  target: { abi: string; platform: string; arch: string },
  addon: Buffer,
): string {
  const util = require('prebuild-install/util') as {
    getDownloadUrl(opts: object): string
    cachedPrebuild(url: string): string
  }
  const pkg = require('better-sqlite3/package.json') as object
  const url = util.getDownloadUrl({ pkg, runtime: 'electron', libc: '', 'tag-prefix': 'v', ...target })
  const saved = process.env.npm_config_cache
  process.env.npm_config_cache = npmCache
  try {
    const file = util.cachedPrebuild(url)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, tarGz([{ name: 'build/Release/better_sqlite3.node', data: addon }]))
  } finally {
    if (saved === undefined) delete process.env.npm_config_cache
    else process.env.npm_config_cache = saved
  }
  return url
}
