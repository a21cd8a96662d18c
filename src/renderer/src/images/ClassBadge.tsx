import type { ClassDef } from '../../../shared/types'
import { readableTextColour } from '../ui/readableTextColour'

export function ClassBadge({ cls }: { cls: ClassDef }) {
  return (
    <span className="class-badge" style={{ background: cls.color, color: readableTextColour(cls.color) }}>
      {cls.name}
    </span>
  )
}
