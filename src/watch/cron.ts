// Cron schedules for `leuko watch`: the five standard fields, evaluated in UTC, so a schedule means the same
// on every host whatever its local zone.
import { UsageError } from '../core/errors.js';

export interface CronSchedule {
  /** The expression as written. */
  readonly source: string;
  /** The first time strictly after `after` (to the minute) that matches. */
  next(after: Date): Date;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  // 7 is Sunday too, as in most crons.
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const SHORTCUTS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A schedule that matches nothing would make next() search forever; five years bounds it. */
const SEARCH_LIMIT_MS = 5 * 366 * 24 * 3600 * 1000;

function fail(source: string, why: string): never {
  throw new UsageError(`schedule "${source}": ${why}`);
}

function parseValue(text: string, spec: FieldSpec, source: string): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(text)) fail(source, `${spec.name} "${text}" is not a number${spec.names ? ' or a name' : ''}`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) fail(source, `${spec.name} ${value} is outside ${spec.min}-${spec.max}`);
  return value;
}

/** The set of values one field allows, and whether it was a bare `*` (which matters for the day fields). */
function parseField(text: string, spec: FieldSpec, source: string): { values: Set<number>; any: boolean } {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (range === undefined || range === '' || extra !== undefined) fail(source, `${spec.name} "${part}" is malformed`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) fail(source, `${spec.name} step "${stepText}" must be a positive number`);
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    if (range === '*') {
      low = spec.min;
      high = spec.name === 'day of week' ? 6 : spec.max;
    } else if (range.includes('-')) {
      const [from, to, more] = range.split('-');
      if (from === undefined || to === undefined || more !== undefined) fail(source, `${spec.name} range "${range}" is malformed`);
      low = parseValue(from, spec, source);
      high = parseValue(to, spec, source);
      if (low > high) fail(source, `${spec.name} range "${range}" runs backwards`);
    } else {
      low = parseValue(range, spec, source);
      // "5/15" means from 5 to the end in steps of 15.
      high = stepText !== undefined ? spec.max : low;
    }
    for (let value = low; value <= high; value += step) values.add(spec.name === 'day of week' && value === 7 ? 0 : value);
  }
  return { values, any: text === '*' || text.startsWith('*/') };
}

/** Parses a five-field cron expression (or @hourly, @daily, …); throws a UsageError naming what is wrong. */
export function parseCron(expression: string): CronSchedule {
  const source = expression.trim();
  const expanded = SHORTCUTS[source.toLowerCase()] ?? source;
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) fail(source, `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((part, index) => parseField(part, FIELDS[index]!, source)) as [
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
  ];

  // As in Vixie cron: when both day fields are restricted, a day matching either one runs.
  const dayMatches = (date: Date): boolean => {
    const inMonth = dayOfMonth.values.has(date.getUTCDate());
    const inWeek = dayOfWeek.values.has(date.getUTCDay());
    if (dayOfMonth.any && dayOfWeek.any) return true;
    if (dayOfMonth.any) return inWeek;
    if (dayOfWeek.any) return inMonth;
    return inMonth || inWeek;
  };

  const schedule: CronSchedule = {
    source,
    next(after: Date): Date {
      const t = new Date(after.getTime());
      t.setUTCSeconds(0, 0);
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      const limit = after.getTime() + SEARCH_LIMIT_MS;
      // Jump field by field (month, day, hour, minute) instead of walking minute by minute.
      while (t.getTime() <= limit) {
        if (!month.values.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!hour.values.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
          continue;
        }
        if (!minute.values.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
          continue;
        }
        return t;
      }
      return fail(source, 'never matches (e.g. 30 February)');
    },
  };
  // Refuse a schedule that can never run now, at load time, not at its first (never) run; five years from
  // any date include a 29 February.
  schedule.next(new Date(Date.UTC(2000, 0, 1)));
  return schedule;
}
