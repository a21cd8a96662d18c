import type { Action } from './types'

export const fitImage: Action = {
  name: 'view.fit',
  label: 'Fit the image',
  text: 'Fit',
  group: 'view',
  keys: [{ key: 'f' }],
  perform: (v) => v.fit(),
}

export const actualSize: Action = {
  name: 'view.actualSize',
  label: 'Actual size (one image pixel per screen pixel)',
  text: '1:1',
  group: 'view',
  keys: [{ key: 'o' }],
  perform: (v) => v.actualSize(),
}

const zoomIn: Action = {
  name: 'view.zoomIn',
  label: 'Zoom in',
  group: 'view',
  keys: [{ key: '+' }, { key: '=' }],
  perform: (v) => v.zoomBy(1.25),
}

const zoomOut: Action = {
  name: 'view.zoomOut',
  label: 'Zoom out',
  group: 'view',
  keys: [{ key: '-' }, { key: '_' }],
  perform: (v) => v.zoomBy(0.8),
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
}

const moveView: Action = {
  name: 'view.move',
  label: 'Move the view',
  group: 'view',
  keys: Object.keys(ARROWS).map((key) => ({ key })),
  perform: (v, key) => {
    const d = key && ARROWS[key.key]
    if (d) v.look(d[0], d[1])
  },
}

export const viewActions = [fitImage, actualSize, zoomIn, zoomOut, moveView]
