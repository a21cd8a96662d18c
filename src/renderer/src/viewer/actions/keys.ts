/**
 * A key that performs an action: a letter ('b'), a digit ('1', either row of the keyboard), a named key
 * ('Escape', 'ArrowLeft', ' ') or a character ('?', '['). Letters and digits count Shift as part of the key
 * (N and Shift+N are two keys); a character already says whether Shift was held ('?' is Shift+/ on many
 * layouts), so for characters and named keys Shift counts only when `shift` is given.
 */
export interface KeySpec {
  key: string
  /** Ctrl on Windows and Linux, ⌘ on macOS. */
  ctrl?: boolean
  shift?: boolean
}

/** What the keyboard handler reads of a KeyboardEvent (a plain shape, so tests need no DOM). */
export interface KeyPress {
  key: string
  code: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

const LETTER = /^[a-z]$/
const DIGIT = /^[0-9]$/

export function keyMatches(spec: KeySpec, e: KeyPress): boolean {
  if (e.altKey || !!spec.ctrl !== (e.ctrlKey || e.metaKey)) return false
  if (DIGIT.test(spec.key))
    return (e.code === `Digit${spec.key}` || e.code === `Numpad${spec.key}`) && !!spec.shift === e.shiftKey
  if (LETTER.test(spec.key)) return e.key.toLowerCase() === spec.key && !!spec.shift === e.shiftKey
  return e.key === spec.key && (spec.shift === undefined || spec.shift === e.shiftKey)
}

const NAMES: Record<string, string> = {
  Escape: 'Esc',
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  ' ': 'Space',
  '-': '−',
}

/** As people read it: "Ctrl+Shift+Z", "Shift+N", "Esc", "?". */
export function formatKey(spec: KeySpec): string {
  const name = NAMES[spec.key] ?? (spec.key.length === 1 ? spec.key.toUpperCase() : spec.key)
  return `${spec.ctrl ? 'Ctrl+' : ''}${spec.shift ? 'Shift+' : ''}${name}`
}

/** All of an action's keys; a run of digits with the same modifiers reads "1…9". */
export function formatKeys(specs: readonly KeySpec[]): string {
  const digits = specs.every(
    (s, i) =>
      DIGIT.test(s.key) &&
      !!s.ctrl === !!specs[0].ctrl &&
      !!s.shift === !!specs[0].shift &&
      (i === 0 || Number(s.key) === Number(specs[i - 1].key) + 1),
  )
  if (digits && specs.length > 2)
    return `${formatKey(specs[0])}…${formatKey(specs[specs.length - 1]).replace(/^.*\+/, '')}`
  return specs.map(formatKey).join(' · ')
}

/** The same key for `aria-keyshortcuts` (its own spelling: "Control+Shift+Z"). */
export function ariaKey(spec: KeySpec): string {
  const name = spec.key === ' ' ? 'Space' : spec.key.length === 1 ? spec.key.toUpperCase() : spec.key
  return `${spec.ctrl ? 'Control+' : ''}${spec.shift ? 'Shift+' : ''}${name}`
}

/** Keys typed into a text field or a choice belong to it; after a slider, checkbox or button the shortcuts work again. */
export function isTypingTarget(t: EventTarget | null): boolean {
  return (
    t instanceof HTMLTextAreaElement ||
    t instanceof HTMLSelectElement ||
    (t instanceof HTMLInputElement && !['range', 'checkbox', 'button'].includes(t.type))
  )
}
