import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cursorReadout } from './cursorReadout'

/** Just what cursorReadout touches of a text node and its element. */
class FakeText {
  writes = 0
  constructor(private value: string) {}
  get data() {
    return this.value
  }
  set data(v: string) {
    this.value = v
    this.writes++
  }
}
function fakeElement(text: string) {
  const node = new FakeText(text)
  const el = { firstChild: node as unknown, lastChild: node as unknown, textContent: text, replaced: 0 }
  return new Proxy(el, {
    set(t, key, v) {
      if (key === 'textContent') t.replaced++
      return Reflect.set(t, key, v)
    },
  })
}

let frames: (() => void)[] = []
beforeEach(() => {
  frames = []
  vi.stubGlobal('Text', FakeText)
  vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb))
})
afterEach(() => vi.unstubAllGlobals())

describe('cursorReadout', () => {
  it('writes the last position of a frame once, into the text node already there', () => {
    const el = fakeElement('—')
    const node = el.firstChild as FakeText
    const show = cursorReadout(() => el as unknown as HTMLElement)
    show('x 1, y 1')
    show('x 2, y 1')
    show('x 3, y 2')
    expect(frames).toHaveLength(1)
    expect(node.data).toBe('—')
    frames.shift()!()
    expect(node.data).toBe('x 3, y 2')
    expect(node.writes).toBe(1)
    expect(el.firstChild).toBe(node)
    expect(el.replaced).toBe(0)
    // The same text again is not written; a new position asks for a new frame.
    show('x 3, y 2')
    frames.shift()!()
    expect(node.writes).toBe(1)
    show('x 4, y 2')
    expect(frames).toHaveLength(1)
  })

  it('sets the text whole where there is no single text node, and skips a missing element', () => {
    const el = fakeElement('')
    el.firstChild = null
    el.lastChild = null
    let target: typeof el | null = null
    const show = cursorReadout(() => target as unknown as HTMLElement | null)
    show('x 5, y 6')
    frames.shift()!()
    expect(el.replaced).toBe(0)
    target = el
    show('x 7, y 8')
    frames.shift()!()
    expect(el.replaced).toBe(1)
    expect(el.textContent).toBe('x 7, y 8')
  })
})
