import koffi from 'koffi'

/**
 * The system's OpenSlide (libopenslide), loaded through koffi's FFI when a lab has installed it: it reads
 * Hamamatsu NDPI/VMS, 3DHISTECH MRXS, Leica SCN, Ventana BIF, Philips TIFF, and SVS with JPEG 2000 tiles.
 * Nothing is bundled: when the library is absent the app says so and reads the TIFF family itself.
 * `S4MI_OPENSLIDE=off` hides an installed library (tests of the absent case); `S4MI_OPENSLIDE=/path/lib.so`
 * names a library in an unusual place.
 */

type Fn = ReturnType<ReturnType<typeof koffi.load>['func']>

export interface OpenSlideLibrary {
  version: string
  path: string
  open: Fn
  close: Fn
  getError: Fn
  levelCount: Fn
  levelDimensions: Fn
  levelDownsample: Fn
  propertyNames: Fn
  propertyValue: Fn
  readRegion: Fn
  detectVendor: Fn
}

export type OpenSlideStatus =
  { available: true; version: string; path: string } | { available: false; reason: string }

/** Where each platform's packages put the library (OpenSlide 4 is .so.1 / -1.dll, 3.4 is .so.0 / -0.dll). */
const CANDIDATES: Record<string, string[]> = {
  linux: ['libopenslide.so.1', 'libopenslide.so.0'],
  darwin: [
    'libopenslide.1.dylib',
    'libopenslide.0.dylib',
    '/opt/homebrew/lib/libopenslide.1.dylib',
    '/opt/homebrew/lib/libopenslide.0.dylib',
    '/usr/local/lib/libopenslide.1.dylib',
    '/usr/local/lib/libopenslide.0.dylib',
  ],
  win32: ['libopenslide-1.dll', 'libopenslide-0.dll'],
}

let loaded: { lib: OpenSlideLibrary | null; status: OpenSlideStatus } | null = null

function bind(path: string): OpenSlideLibrary {
  const l = koffi.load(path)
  const version = l.func('const char *openslide_get_version()')() as string
  return {
    version,
    path,
    open: l.func('void *openslide_open(const char *filename)'),
    close: l.func('void openslide_close(void *osr)'),
    getError: l.func('const char *openslide_get_error(void *osr)'),
    levelCount: l.func('int32_t openslide_get_level_count(void *osr)'),
    levelDimensions: l.func(
      'void openslide_get_level_dimensions(void *osr, int32_t level, _Out_ int64_t *w, _Out_ int64_t *h)',
    ),
    levelDownsample: l.func('double openslide_get_level_downsample(void *osr, int32_t level)'),
    propertyNames: l.func('void *openslide_get_property_names(void *osr)'),
    propertyValue: l.func('const char *openslide_get_property_value(void *osr, const char *name)'),
    readRegion: l.func(
      'void openslide_read_region(void *osr, _Out_ uint32_t *dest, int64_t x, int64_t y, int32_t level, int64_t w, int64_t h)',
    ),
    detectVendor: l.func('const char *openslide_detect_vendor(const char *filename)'),
  }
}

function load(): { lib: OpenSlideLibrary | null; status: OpenSlideStatus } {
  const setting = process.env.S4MI_OPENSLIDE
  if (setting === 'off' || setting === '0')
    return { lib: null, status: { available: false, reason: 'turned off (S4MI_OPENSLIDE=off)' } }
  const names = setting ? [setting] : (CANDIDATES[process.platform] ?? CANDIDATES.linux)
  const errors: string[] = []
  for (const name of names) {
    try {
      const lib = bind(name)
      return { lib, status: { available: true, version: lib.version, path: name } }
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message.split('\n')[0]}`)
    }
  }
  return {
    lib: null,
    status: {
      available: false,
      reason: `libopenslide was not found (tried ${names.join(', ')})`,
    },
  }
}

/** The loaded library, or null when this machine has none (looked up once per process). */
export function openSlideLibrary(): OpenSlideLibrary | null {
  loaded ??= load()
  return loaded.lib
}

export function openSlideStatus(): OpenSlideStatus {
  loaded ??= load()
  return loaded.status
}

/** One line for `s4mi info --backend`: what reads slides on this machine. */
export function describeOpenSlide(s: OpenSlideStatus): string {
  return s.available
    ? `Aperio SVS, OME-TIFF and TIFF pyramids built in; OpenSlide ${s.version} installed (NDPI, SCN, BIF, SVSlide, JPEG 2000 SVS)`
    : `Aperio SVS, OME-TIFF and TIFF pyramids built in; OpenSlide not installed (${s.reason}): install it to open NDPI, SCN, BIF and SVSlide files`
}

/** Forget the lookup so the next call looks again (tests switch S4MI_OPENSLIDE between cases). */
export function resetOpenSlideLookup(): void {
  loaded = null
}

/** Null-terminated `const char **` → strings. */
export function decodeStringList(ptr: unknown): string[] {
  const out: string[] = []
  if (!ptr) return out
  for (let i = 0; i < 100_000; i++) {
    const s = koffi.decode(ptr, i * koffi.sizeof('void *'), 'const char *') as string | null
    if (s === null) break
    out.push(s)
  }
  return out
}
