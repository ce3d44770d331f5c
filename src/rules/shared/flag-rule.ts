// Rules that judge one boolean of a model (encrypted, publicly accessible, PITR): one shape, one helper.
import { certaintyOf, triFromFlag } from '../../core/engine/tri.js';
import type { Violation } from '../../core/rule.js';
import { isUnknown, type Uncertain } from '../../core/unknown.js';
import { NO_VIOLATIONS } from './narrow.js';

/**
 * One violation when `value` is `bad` (or unknown: possible). `undefined` is read as false, since AWS omits
 * false flags in some responses.
 */
export function flagViolation(
  value: Uncertain<boolean> | undefined,
  bad: boolean,
  violation: { part: string; path: ReadonlyArray<string | number>; message: string; unknownMessage: string },
): Violation[] {
  const truth = triFromFlag(value);
  const tri = truth === 'maybe' ? 'maybe' : (truth === 'yes') === bad ? 'yes' : 'no';
  if (tri === 'no') return NO_VIOLATIONS;
  return [
    {
      part: violation.part,
      certainty: certaintyOf(tri),
      message: isUnknown(value) ? `${violation.unknownMessage} (${value.reason})` : violation.message,
      path: violation.path,
    },
  ];
}
