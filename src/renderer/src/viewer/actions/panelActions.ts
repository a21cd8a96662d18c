import type { Action } from './types'

export const exportPanel: Action = {
  name: 'panel.export',
  label: 'Export',
  group: 'panels',
  perform: (v) => v.togglePanel('export'),
  pressed: (v) => v.panel === 'export',
}

const closePanel: Action = {
  name: 'panel.close',
  label: 'Close the side panel',
  group: 'panels',
  keys: [{ key: 'Escape' }],
  scope: 'panel',
  perform: (v) => v.closePanel(),
}

export const toggleHelp: Action = {
  name: 'help.toggle',
  label: 'Keyboard shortcuts',
  text: '?',
  group: 'panels',
  keys: [{ key: '?' }],
  perform: (v) => v.toggleHelp(),
  pressed: (v) => v.help,
}

const closeHelp: Action = {
  name: 'help.close',
  label: 'Close the shortcuts',
  group: 'panels',
  keys: [{ key: 'Escape' }],
  scope: 'help',
  perform: (v) => v.toggleHelp(),
}

export const panelActions = [exportPanel, closePanel, toggleHelp, closeHelp]
