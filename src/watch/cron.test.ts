import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCron } from './cron.js';

const at = (iso: string) => new Date(iso);
const nextOf = (expression: string, after: string) => parseCron(expression).next(at(after)).toISOString();

describe('parseCron', () => {
  it.each([
    ['*/15 * * * *', '2026-11-23T10:07:30Z', '2026-11-23T10:15:00.000Z'],
    ['*/15 * * * *', '2026-11-23T10:45:00Z', '2026-11-23T11:00:00.000Z'],
    ['0 * * * *', '2026-11-23T10:00:00Z', '2026-11-23T11:00:00.000Z'],
    ['@hourly', '2026-11-23T23:59:59Z', '2026-11-24T00:00:00.000Z'],
    ['@daily', '2026-12-31T12:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['30 2 * * MON-FRI', '2026-11-21T00:00:00Z', '2026-11-23T02:30:00.000Z'], // Saturday -> Monday
    ['0 0 29 FEB *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 6 1,15 * *', '2026-11-02T00:00:00Z', '2026-11-15T06:00:00.000Z'],
    ['5/20 9-10 * * *', '2026-11-23T09:46:00Z', '2026-11-23T10:05:00.000Z'],
    ['0 0 * * 7', '2026-11-23T00:00:00Z', '2026-11-29T00:00:00.000Z'], // 7 is Sunday
    // Both day fields restricted: either matches (the 1st, or any Friday).
    ['0 0 1 * FRI', '2026-11-23T00:00:00Z', '2026-11-27T00:00:00.000Z'],
    ['0 0 1 * FRI', '2026-11-28T00:00:00Z', '2026-12-01T00:00:00.000Z'],
  ])('%s after %s is %s', (expression, after, expected) => {
    expect(nextOf(expression, after)).toBe(expected);
  });

  it.each([
    ['* * * *', /expected 5 fields/],
    ['60 * * * *', /minute 60 is outside 0-59/],
    ['* 24 * * *', /hour 24/],
    ['*/0 * * * *', /step "0"/],
    ['5-1 * * * *', /runs backwards/],
    ['* * * FOO *', /month "FOO" is not a number or a name/],
    ['0 0 30 2 *', /never matches/],
    ['1,,2 * * * *', /malformed/],
  ])('refuses %s', (expression, why) => {
    expect(() => parseCron(expression)).toThrow(why);
  });

  it('always returns a later, matching minute', () => {
    const schedule = parseCron('7,37 */3 * * 1-5');
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true }), (after) => {
        const next = schedule.next(after);
        expect(next.getTime()).toBeGreaterThan(after.getTime());
        expect(next.getTime() - after.getTime()).toBeLessThanOrEqual(4 * 24 * 3600 * 1000);
        expect([7, 37]).toContain(next.getUTCMinutes());
        expect(next.getUTCHours() % 3).toBe(0);
        expect([1, 2, 3, 4, 5]).toContain(next.getUTCDay());
        expect(next.getUTCSeconds()).toBe(0);
      }),
    );
  });
});
