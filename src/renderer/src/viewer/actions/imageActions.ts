import type { Action } from './types'

export const closeImage: Action = {
  name: 'image.close',
  label: 'Close the image',
  text: '← Images',
  group: 'images',
  keys: [{ key: 'Escape' }],
  perform: (v) => v.close(),
}

export const previousImage: Action = {
  name: 'image.previous',
  label: 'Previous image',
  text: 'Previous',
  group: 'images',
  keys: [{ key: 'n', shift: true }],
  perform: (v) => v.previous?.(),
  enabled: (v) => !!v.previous,
}

export const nextImage: Action = {
  name: 'image.next',
  label: 'Next image',
  text: 'Next',
  group: 'images',
  keys: [{ key: 'n' }],
  perform: (v) => v.next?.(),
  enabled: (v) => !!v.next,
}

export const imageActions = [closeImage, previousImage, nextImage]
