// The text skim of a CloudTrail log file that leuko ran before it skimmed bytes, kept as the oracle the byte
// skim (splitter.ts skimLogBytes) is tested against: the same decisions on the decoded text, written over
// strings with indexOf instead of words of bytes.
import type { RecordSkim, SkimmedLogFile } from '../../src/sources/cloudtrail/splitter.js';

const KEY_NONE = 0;
const KEY_EVENT_NAME = 1;
const KEY_IDENTITY = 2;
const KEY_TYPE = 3;

function skipSpace(text: string, at: number): number {
  for (;;) {
    const code = text.charCodeAt(at);
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return at;
    at++;
  }
}

/** The closing quote of the string opening at `open` (escapes honoured), or -1. */
function stringEnd(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close !== -1) {
    let slash = close - 1;
    while (text.charCodeAt(slash) === 92 /* \ */) slash--;
    if ((close - 1 - slash) % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

/**
 * Skims a whole CloudTrail log file held in memory, `{"Records":[{…},…]}`, without parsing it: finds each
 * record's bounds and reads its top-level eventName and userIdentity.type structurally (depth-aware, so a
 * nested field of the same name never counts), then asks `skim` whether the record is worth parsing.
 * Strings are jumped over with indexOf, which is what makes this several times faster than JSON.parse.
 * Anything it cannot read for certain (an escape, a duplicate key, a non-string name, a record that holds
 * "Records" or "detail" itself) keeps the record, so the parser and `select` decide. Returns undefined when
 * the text is not exactly that shape (other keys, non-object elements, unbalanced, trailing text): the
 * caller then reads the file the ordinary way. It does not check JSON syntax inside records it skips.
 */
export function skimLogFile(text: string, skim: RecordSkim): SkimmedLogFile | undefined {
  let at = skipSpace(text, 0);
  if (text.charCodeAt(at) !== 123 /* { */) return undefined;
  at = skipSpace(text, at + 1);
  if (!text.startsWith('"Records"', at)) return undefined;
  at = skipSpace(text, at + 9);
  if (text.charCodeAt(at) !== 58 /* : */) return undefined;
  at = skipSpace(text, at + 1);
  if (text.charCodeAt(at) !== 91 /* [ */) return undefined;
  at = skipSpace(text, at + 1);
  const kept: number[] = [];
  let records = 0;
  const length = text.length;
  if (text.charCodeAt(at) === 93 /* ] */) at++;
  else {
    for (;;) {
      if (text.charCodeAt(at) !== 123) return undefined;
      const start = at;
      let depth = 0;
      let expectKey = false;
      let pending = KEY_NONE;
      let inIdentity = false;
      // What the record's top level shows; `sure` turns false on anything only the parser can settle.
      let sure = true;
      let names = 0;
      let name = '';
      let identities = 0;
      let identityIsObject = false;
      let types = 0;
      let type: string | undefined;
      for (;;) {
        if (at >= length) return undefined;
        const code = text.charCodeAt(at);
        if (code === 34 /* " */) {
          const close = stringEnd(text, at);
          if (close === -1) return undefined;
          if (expectKey) {
            expectKey = false;
            const size = close - at - 1;
            if (depth === 1) {
              if (size === 9 && text.startsWith('eventName', at + 1)) pending = KEY_EVENT_NAME;
              else if (size === 12 && text.startsWith('userIdentity', at + 1)) pending = KEY_IDENTITY;
              else if ((size === 7 && text.startsWith('Records', at + 1)) || (size === 6 && text.startsWith('detail', at + 1))) sure = false;
            } else if (inIdentity && depth === 2 && size === 4 && text.startsWith('type', at + 1)) pending = KEY_TYPE;
          } else if (pending !== KEY_NONE) {
            if (pending === KEY_EVENT_NAME) {
              names++;
              name = text.slice(at + 1, close);
              if (name.includes('\\')) sure = false;
            } else if (pending === KEY_TYPE) {
              types++;
              type = text.slice(at + 1, close);
              if (type.includes('\\')) sure = false;
            } else identities++;
            pending = KEY_NONE;
          }
          at = close + 1;
          continue;
        }
        switch (code) {
          case 123: // {
          case 91: // [
            if (pending === KEY_IDENTITY) {
              identities++;
              identityIsObject = code === 123;
              inIdentity = identityIsObject;
            } else if (pending === KEY_EVENT_NAME) sure = false;
            else if (pending === KEY_TYPE) {
              types++;
              type = undefined;
            }
            pending = KEY_NONE;
            depth++;
            expectKey = code === 123;
            break;
          case 125: // }
          case 93: // ]
            depth--;
            expectKey = false;
            pending = KEY_NONE;
            if (depth === 1) inIdentity = false;
            break;
          case 44: // ,
            expectKey = depth === 1 || (inIdentity && depth === 2);
            pending = KEY_NONE;
            break;
          case 32:
          case 9:
          case 10:
          case 13:
          case 58: // :
            break;
          default:
            // A number, true, false or null.
            if (pending === KEY_EVENT_NAME) sure = false;
            else if (pending === KEY_IDENTITY) {
              identities++;
              identityIsObject = false;
            } else if (pending === KEY_TYPE) {
              types++;
              type = undefined;
            }
            pending = KEY_NONE;
        }
        at++;
        if (depth === 0) break;
      }
      // A duplicate key: JSON.parse keeps the last one; the parser settles it.
      if (names !== 1 || identities > 1 || types > 1) sure = false;
      const identityType = identities === 1 && identityIsObject ? type : undefined;
      if (!sure || skim(name, identityType)) kept.push(records, start, at);
      records++;
      at = skipSpace(text, at);
      const next = text.charCodeAt(at);
      if (next === 93) {
        at++;
        break;
      }
      if (next !== 44) return undefined;
      at = skipSpace(text, at + 1);
    }
  }
  at = skipSpace(text, at);
  if (text.charCodeAt(at) !== 125) return undefined;
  return skipSpace(text, at + 1) === length ? { records, kept } : undefined;
}
