// Printing: JSON for machines, aligned text for people, a progress line only on a TTY.

export interface Output {
  json(value: unknown): void;
  line(text?: string): void;
  error(text: string): void;
  progress(text: string): void;
  endProgress(): void;
}

export function createOutput(
  stdout: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
  stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): Output {
  let progressShown = false;
  const clear = () => {
    if (progressShown) {
      stderr.write('\r\x1b[2K');
      progressShown = false;
    }
  };
  return {
    json(value) {
      clear();
      stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    line(text = '') {
      clear();
      stdout.write(`${text}\n`);
    },
    error(text) {
      clear();
      stderr.write(`${text}\n`);
    },
    progress(text) {
      if (!stderr.isTTY) return;
      const width = (stderr as { columns?: number }).columns ?? 100;
      stderr.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
      progressShown = true;
    },
    endProgress: clear,
  };
}

/** Aligns rows into columns; the first row is the header. */
export function formatTable(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  if (rows.length === 0) return '';
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
