import { describe, expect, it } from 'vitest'
import { importProblems } from './importProblems'

describe('importProblems', () => {
  it('prefers structured problems from the job result', () => {
    const problems = [{ file: 'a.png', problem: 'unreadable' }]
    expect(importProblems('Import refused, 1 problem: whatever', { problems })).toEqual(problems)
  })

  it("splits the importer's message per file, keeping '; ' inside a problem", () => {
    const msg =
      'Import refused, 3 problems: masks/a.png: mask is in colour at pixel (1, 2); expected grey class indices or 0/255; ' +
      'images/b.jpg: not a readable image; labels.csv: row 3 has 2 columns, expected 4; …'
    expect(importProblems(msg, null)).toEqual([
      {
        file: 'masks/a.png',
        problem: 'mask is in colour at pixel (1, 2); expected grey class indices or 0/255',
      },
      { file: 'images/b.jpg', problem: 'not a readable image' },
      { file: 'labels.csv', problem: 'row 3 has 2 columns, expected 4' },
    ])
  })

  it('keeps any other failure as one row', () => {
    expect(importProblems('Folder not found: /x', null)).toEqual([
      { file: '', problem: 'Folder not found: /x' },
    ])
    expect(importProblems(null, null)).toEqual([])
  })
})
