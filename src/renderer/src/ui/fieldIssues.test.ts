import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../shared/api'
import { callProblem } from './fieldIssues'

describe('callProblem', () => {
  it('files each API issue under its field path, first message wins', () => {
    const e = new ApiError('Invalid input', [
      { path: 'name', message: 'name must not be empty' },
      { path: 'classes.0.color', message: 'color must look like #rrggbb' },
      { path: 'name', message: 'second' },
    ])
    expect(callProblem(e)).toEqual({
      message: 'Invalid input',
      fields: { name: 'name must not be empty', 'classes.0.color': 'color must look like #rrggbb' },
    })
  })

  it('keeps plain errors as a message', () => {
    expect(callProblem(new Error('No project is open'))).toEqual({
      message: 'No project is open',
      fields: {},
    })
    expect(callProblem('boom')).toEqual({ message: 'boom', fields: {} })
  })
})
