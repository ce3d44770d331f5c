// Which records are worth any work: the cheap tests that let millions of reads and role assumptions pass by.
import type { DetectionDefinition } from '../../detections/detection.js';
import { MAPPED_EVENT_NAMES } from './event-to-change.js';
import { isObject, type JsonObject } from './record.js';
import { registerLineFilter, registerSkim } from './splitter.js';

export interface InterestFilter {
  /** On a record's raw JSON text, before parsing. True when in doubt (the parser then decides). */
  readonly text: (text: string) => boolean;
  /** On a parsed record, before validation. True when in doubt (validation then reports it). */
  readonly value: (value: JsonObject) => boolean;
}

const PASS: InterestFilter = { text: () => true, value: () => true };

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** The eventName value in a record's text, or undefined when it cannot be read without parsing. */
export function eventNameOfText(text: string): string | undefined {
  const key = text.indexOf('"eventName"');
  if (key === -1) return undefined;
  let at = key + 11;
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  if (text.charCodeAt(at) !== 58 /* : */) return undefined;
  at++;
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  if (text.charCodeAt(at) !== 34 /* " */) return undefined;
  const end = text.indexOf('"', at + 1);
  if (end === -1) return undefined;
  const name = text.slice(at + 1, end);
  // An escape inside the name: let the parser read it.
  return name.includes('\\') ? undefined : name;
}

/**
 * userIdentity.type in a record's text: the first "type" after "userIdentity" (CloudTrail writes it
 * first). Undefined when it cannot be read without parsing; null when the record has no userIdentity.
 */
export function identityTypeOfText(text: string): string | null | undefined {
  const identity = text.indexOf('"userIdentity"');
  if (identity === -1) return null;
  const key = text.indexOf('"type"', identity + 14);
  if (key === -1) return undefined;
  let at = key + 6;
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  if (text.charCodeAt(at) !== 58 /* : */) return undefined;
  at++;
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  if (text.charCodeAt(at) !== 34 /* " */) return undefined;
  const end = text.indexOf('"', at + 1);
  return end === -1 ? undefined : text.slice(at + 1, end);
}

const EVENT_NAME_KEY = Buffer.from('"eventName"');
const IDENTITY_KEY = Buffer.from('"userIdentity"');
const TYPE_KEY = Buffer.from('"type"');
const RECORDS_START = Buffer.from('{"Records"');

/** `bytes.indexOf(key, from)` when the match lies before `end`, else -1. */
function indexIn(bytes: Buffer, key: Buffer | number, from: number, end: number): number {
  const at = bytes.indexOf(key, from);
  return at !== -1 && at < end ? at : -1;
}

/**
 * The string value after a `"key"` found at `key` (length `size`) in UTF-8 bytes: eventNameOfText and
 * identityTypeOfText on bytes, step for step (every token they look for is ASCII, so positions differ but
 * answers do not). Undefined when it cannot be read without parsing.
 */
function valueAfterKey(bytes: Buffer, key: number, size: number, end: number): string | undefined {
  let at = key + size;
  while (at < end && isSpace(bytes[at]!)) at++;
  if (at >= end || bytes[at] !== 58 /* : */) return undefined;
  at++;
  while (at < end && isSpace(bytes[at]!)) at++;
  if (at >= end || bytes[at] !== 34 /* " */) return undefined;
  const close = indexIn(bytes, 34, at + 1, end);
  if (close === -1) return undefined;
  return bytes.toString('utf8', at + 1, close);
}

/**
 * The filter for a set of detections and leuko's event mappers: a record matters when its event name is
 * mapped or matched by a detection, or its identity type is one an any-event detection watches (Root).
 * A detection of any event with no identity types makes every record matter.
 */
export function createInterestFilter(detections: readonly DetectionDefinition[]): InterestFilter {
  const names = new Set<string>(MAPPED_EVENT_NAMES);
  const identityTypes: string[] = [];
  for (const detection of detections) {
    for (const name of detection.eventNames) names.add(name);
    if (detection.eventNames.length === 0) {
      if (!detection.identityTypes) return PASS;
      identityTypes.push(...detection.identityTypes);
    }
  }
  const filter: InterestFilter = {
    text(text) {
      // A whole log file on one line: its first record's name says nothing about the others.
      if (text.startsWith('{"Records"')) return true;
      const name = eventNameOfText(text);
      if (name === undefined || names.has(name)) return true;
      if (identityTypes.length === 0) return false;
      const type = identityTypeOfText(text);
      return type === undefined || (type !== null && identityTypes.includes(type));
    },
    value(value) {
      const name = value.eventName;
      if (typeof name !== 'string' || names.has(name)) return true;
      if (identityTypes.length === 0) return false;
      const identity = value.userIdentity;
      return isObject(identity) && typeof identity.type === 'string' && identityTypes.includes(identity.type);
    },
  };
  // `text` above on a line's bytes (see valueAfterKey), for JSON Lines read from a stream.
  registerLineFilter(filter.text, (bytes, start, end) => {
    if (end - start >= RECORDS_START.length && bytes.compare(RECORDS_START, 0, RECORDS_START.length, start, start + RECORDS_START.length) === 0) return true;
    const key = indexIn(bytes, EVENT_NAME_KEY, start, end);
    if (key === -1) return true;
    const name = valueAfterKey(bytes, key, EVENT_NAME_KEY.length, end);
    if (name === undefined || name.includes('\\') || names.has(name)) return true;
    if (identityTypes.length === 0) return false;
    const identity = indexIn(bytes, IDENTITY_KEY, start, end);
    if (identity === -1) return false;
    const typeKey = indexIn(bytes, TYPE_KEY, identity + IDENTITY_KEY.length, end);
    if (typeKey === -1) return true;
    const type = valueAfterKey(bytes, typeKey, TYPE_KEY.length, end);
    return type === undefined || identityTypes.includes(type);
  });
  // `value` above, on the fields a skim reads: identityType is the type of a userIdentity object, if a string.
  registerSkim(filter.value, (name, identityType) => names.has(name) || (identityType !== undefined && identityTypes.includes(identityType)));
  return filter;
}
