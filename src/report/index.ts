// One entry point for every report format, so the CLI and server pick a format by name.
import { UsageError } from '../core/errors.js';
import { renderAsff, type AsffOptions } from './asff.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderOcsf, type OcsfOptions } from './ocsf.js';
import type { ReportInput } from './report-input.js';
import { renderTable, type TableOptions } from './table.js';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'html', 'asff', 'ocsf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Options of every format in one bag; each renderer reads only its own. */
export type RenderOptions = TableOptions & AsffOptions & OcsfOptions;

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export function renderFindings(
  format: ReportFormat,
  input: ReportInput,
  options: RenderOptions = {},
): string {
  switch (format) {
    case 'table':
      return renderTable(input, options);
    case 'json':
      return renderJson(input);
    case 'csv':
      return renderCsv(input);
    case 'html':
      return renderHtml(input);
    case 'asff':
      return renderAsff(input, options);
    case 'ocsf':
      return renderOcsf(input, options);
    default: {
      // Reached only from untyped callers (JavaScript, a config file); TypeScript callers cannot get here.
      const unknown: never = format;
      throw new UsageError(
        `unknown report format: ${String(unknown)} (expected one of ${REPORT_FORMATS.join(', ')})`,
      );
    }
  }
}

export type { ReportInput } from './report-input.js';
export type { TableOptions } from './table.js';
export type { AsffOptions } from './asff.js';
export type { OcsfOptions } from './ocsf.js';
