// How an untagged plain scalar reads in leuko's YAML 1.2 core schema: null, a boolean, an int or a float
// exactly as the `yaml` package resolves them (1_000 and 0b101 stay strings), else the string itself.
// Shared by both fast reads (the subset reader and js-yaml 4's schema), so the two cannot drift apart.

const INT = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

export function isCoreNull(text: string): boolean {
  return text === '~' || text === 'null' || text === 'Null' || text === 'NULL';
}

export function isCoreBool(text: string): boolean {
  return text === 'true' || text === 'True' || text === 'TRUE' || text === 'false' || text === 'False' || text === 'FALSE';
}

export function isCoreInt(text: string): boolean {
  return INT_OCT.test(text) || INT.test(text) || INT_HEX.test(text);
}

export function coreIntValue(text: string): number {
  if (text.startsWith('0o')) return parseInt(text.slice(2), 8);
  if (text.startsWith('0x')) return parseInt(text.slice(2), 16);
  return parseInt(text, 10);
}

export function isCoreFloat(text: string): boolean {
  return FLOAT_SPECIAL.test(text) || FLOAT.test(text);
}

export function coreFloatValue(text: string): number {
  if (!FLOAT_SPECIAL.test(text)) return parseFloat(text);
  if (text.slice(-3).toLowerCase() === 'nan') return NaN;
  return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/** An untagged plain scalar's value: the core schema's types tried in the fast read's order (null, bool, int, float). */
export function plainScalarValue(text: string): unknown {
  const first = text.charCodeAt(0);
  // Every non-string form starts with a digit, a sign, a dot, ~, n/N, t/T or f/F: most scalars skip the tests.
  if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46) {
    if (isCoreInt(text)) return coreIntValue(text);
    if (isCoreFloat(text)) return coreFloatValue(text);
    return text;
  }
  if (first === 126 || first === 110 || first === 78) return isCoreNull(text) ? null : text;
  if (first === 116 || first === 84 || first === 102 || first === 70) {
    return isCoreBool(text) ? text === 'true' || text === 'True' || text === 'TRUE' : text;
  }
  return text;
}
