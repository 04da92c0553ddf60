// Tables for a terminal that a controller reads: the first column left, the others right-aligned,
// columns of one group (counts, amounts) side by side under a group label, and long text wrapped
// to the width of a terminal instead of running off it.

export interface TextColumn {
  header: string;
  /** Columns that share a group stand together under its label (e.g. "sales": 2Checkout, NetSuite). */
  group?: string;
  /** Default: the first column left, the others (numbers) right. */
  align?: 'left' | 'right';
}

/** Columns within a group are two spaces apart, groups four. */
const GAP = 2;
const GROUP_GAP = 4;

export function textTable(columns: readonly TextColumn[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const gapBefore = columns.map((c, i) => (i === 0 ? 0 : c.group !== columns[i - 1]!.group ? GROUP_GAP : GAP));
  const line = (cells: readonly string[]) =>
    cells
      .map(
        (cell, i) =>
          ' '.repeat(gapBefore[i]!) +
          ((columns[i]!.align ?? (i === 0 ? 'left' : 'right')) === 'left'
            ? cell.padEnd(widths[i]!)
            : cell.padStart(widths[i]!)),
      )
      .join('')
      .trimEnd();
  const out: string[] = [];
  if (columns.some((c) => c.group)) {
    // Each group's label, centred over its columns.
    let groups = '';
    for (let i = 0; i < columns.length;) {
      let j = i;
      let span = widths[i]!;
      while (j + 1 < columns.length && columns[j + 1]!.group === columns[i]!.group)
        span += gapBefore[++j]! + widths[j]!;
      const label = columns[i]!.group ?? '';
      const left = Math.max(0, Math.floor((span - label.length) / 2));
      groups += ' '.repeat(gapBefore[i]!) + (' '.repeat(left) + label).padEnd(span);
      i = j + 1;
    }
    out.push(groups.trimEnd());
  }
  out.push(line(columns.map((c) => c.header)), ...rows.map(line));
  return out;
}

/**
 * Words of `text` in lines of at most `width` characters. A command in backticks is never broken
 * (it is copied from the terminal as one); a word or command longer than a line stands alone.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.match(/(?:[^\s`]*`[^`]*`)+[^\s`]*|\S+/g) ?? []) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}
