// A few lines of source around a position with a caret under the column, as compilers print them.

export interface CodeFrameOptions {
  /** Lines shown before and after the line (default 2). */
  readonly context?: number;
  /** ANSI colours (only on a TTY). */
  readonly color?: boolean;
  /** Lines longer than this are cut, so a minified JSON template does not flood the terminal (default 160). */
  readonly maxWidth?: number;
}

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/** Splits once per text; the same template's frames reuse it. */
const linesCache = new WeakMap<object, string[]>();

function linesOf(text: string, key?: object): string[] {
  if (key === undefined) return text.split(/\r?\n/);
  let lines = linesCache.get(key);
  if (lines === undefined) {
    lines = text.split(/\r?\n/);
    linesCache.set(key, lines);
  }
  return lines;
}

/**
 * The frame for 1-based `line` and `column`. `cacheKey` (e.g. the file's report) lets many frames of
 * one text share one split.
 */
export function codeFrame(text: string, line: number, column: number, options: CodeFrameOptions = {}, cacheKey?: object): string {
  const lines = linesOf(text, cacheKey);
  if (line < 1 || line > lines.length) return '';
  const context = options.context ?? 2;
  const maxWidth = options.maxWidth ?? 160;
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const gutter = String(last).length;
  const paint = (code: string, value: string) => (options.color ? `${code}${value}${RESET}` : value);
  // A long line is shown as a window around the column, so the caret stays on screen.
  const start = column > maxWidth - 20 ? column - Math.floor(maxWidth / 2) : 0;
  const cut = (value: string) => {
    const shown = value.slice(start, start + maxWidth);
    return `${start > 0 ? '…' : ''}${shown}${value.length > start + maxWidth ? '…' : ''}`;
  };
  const out: string[] = [];
  for (let number = first; number <= last; number += 1) {
    const source = cut((lines[number - 1] ?? '').replace(/\t/g, ' '));
    const marker = number === line ? paint(RED + BOLD, '>') : ' ';
    out.push(`${marker} ${paint(DIM, `${String(number).padStart(gutter)} |`)} ${source}`.trimEnd());
    if (number === line) {
      const offset = Math.max(0, column - 1 - start) + (start > 0 ? 1 : 0);
      out.push(`  ${paint(DIM, `${' '.repeat(gutter)} |`)} ${' '.repeat(offset)}${paint(RED + BOLD, '^')}`);
    }
  }
  return out.join('\n');
}
