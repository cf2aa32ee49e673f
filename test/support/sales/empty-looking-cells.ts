/**
 * Cell texts that are, or nearly are, the markers platforms put in empty cells (cells.ts
 * emptyMarkers): the markers, padded ones, wrapped ones, and a BOM. Readers that only tell
 * whether a cell is empty are tested with these.
 */
export const emptyLookingCells = [
  '',
  '-',
  '--',
  '—',
  '/',
  'null',
  'NULL',
  'N/A',
  '无',
  ' - ',
  '\t-',
  '="-"',
  "'无",
  "'-",
  '\uFEFF-',
  '\uFEFF',
] as const;
