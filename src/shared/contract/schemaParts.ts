import { z } from 'zod'

/** Marks a method's output type; the value is never read at run time. */
export const output = <T>() => null as unknown as T

export const projectDir = z.string().min(1, 'dir must be a folder path')
export const id = z.number().int().positive()
export const classInput = z.object({
  name: z.string().trim().min(1, 'class name must not be empty').max(64),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'color must look like #rrggbb'),
})
/** A mask class as a new project or import names it; without a colour it takes the overlay palette's next. */
export const maskClassInput = z.object({
  name: z.string().trim().min(1, 'mask class name must not be empty').max(64),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'color must look like #rrggbb')
    .optional(),
})
export const labelModeSchema = z.enum(['multi-class', 'multi-label'])
/** Datasets, single images or slides, or QuPath GeoJSON (masks for images already in the project). */
export const importFormatSchema = z.enum(['isic2017', 'dermofit', 'folder', 'images', 'geojson'])
export const presetSchema = z.enum(['quick', 'paper'])
