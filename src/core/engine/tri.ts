// Three-valued logic (Kleene): how rules and filters combine facts when some inputs are unknown.
import type { Certainty } from '../rule.js';
import { isUnknown } from '../unknown.js';

/** 'maybe': the answer depends on a value a template or event could not tell us. */
export type Tri = 'yes' | 'no' | 'maybe';

export function triOf(value: boolean): Tri {
  return value ? 'yes' : 'no';
}

export function triAnd(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'yes';
}

export function triOr(a: Tri, b: Tri): Tri {
  if (a === 'yes' || b === 'yes') return 'yes';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'no';
}

export function triNot(a: Tri): Tri {
  return a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'maybe';
}

/** A boolean that may be unknown, as a Tri (`undefined` counts as false: AWS omits false flags). */
export function triFromFlag(value: unknown): Tri {
  if (isUnknown(value)) return 'maybe';
  return value === true ? 'yes' : 'no';
}

/** The certainty of a violation whose condition evaluated to `tri` (never called with 'no'). */
export function certaintyOf(tri: Tri): Certainty {
  return tri === 'yes' ? 'definite' : 'possible';
}
