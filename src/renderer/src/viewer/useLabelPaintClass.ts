import { useEffect } from 'react'
import type { ImageSummary, MaskClassDef, ProjectInfo } from '../../../shared/types'

/** The default paint class follows the image's label where that mapping is known (a melanoma → lesion). */
export function useLabelPaintClass(
  project: ProjectInfo,
  image: ImageSummary,
  maskClasses: readonly MaskClassDef[],
  preferValue: (value: number) => void,
): void {
  const labelKey = image.labels.join(',')
  useEffect(() => {
    const linked = project.classes.find((c) => image.labels.includes(c.id) && c.maskClassId)?.maskClassId
    const value = maskClasses.find((m) => m.id === linked)?.value
    if (value !== undefined) preferValue(value)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labelKey, maskClasses, project.classes, preferValue])
}
