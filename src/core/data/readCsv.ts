import { readRegularText } from '../store/regularFile'

/**
 * The largest CSV an import reads (labels, mask classes, ISIC's ground truth). ISIC-2017's largest, 2,000
 * rows, is under 100 kB; 64 MiB is room for a million-image labels file, and refuses a multi-gigabyte one
 * before it is read.
 */
export const MAX_CSV_BYTES = 64 * 1024 ** 2

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows of strings.
 * Blank lines are dropped; a UTF-8 byte-order mark is ignored.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const endRow = () => {
    row.push(field)
    if (row.length > 1 || row[0] !== '') rows.push(row)
    row = []
    field = ''
  }
  for (; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"' && field === '') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n') endRow()
    else if (ch === '\r') {
      if (text[i + 1] !== '\n') endRow()
    } else field += ch
  }
  if (quoted) throw new Error('CSV ends inside a quoted field')
  if (field !== '' || row.length > 0) endRow()
  return rows
}

/** Reads and parses a CSV file the user named: a regular file no larger than MAX_CSV_BYTES. */
export function readCsvFile(file: string): string[][] {
  return parseCsv(readRegularText(file, MAX_CSV_BYTES, 'CSV file'))
}
