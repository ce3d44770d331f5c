// Positions in a YAML template from js-yaml's flat event stream (offsets, no AST): several times cheaper
// than composing a `yaml` Document. It answers only where it is sure to agree with the `yaml` walk in
// cfn-positions.ts; anything else (aliases, keys that are not plain strings, a parse it cannot do) is
// `undefined`, and the caller asks the `yaml` walk.
import { COLLECTION_STYLE, EVENT_ID, SCALAR_STYLE, parseEvents, type Event } from 'js-yaml';
import { intrinsicForTag } from './cfn-tags.js';
import type { SourcePath } from './source-path.js';

export interface EventWalk {
  /** Character offset of the deepest part of the path found. */
  readonly offset: number;
  /** How many segments of the path were found. */
  readonly found: number;
}

// A plain key the core schema reads as something other than that string (null, a boolean, a number):
// the `yaml` walk compares String(value), e.g. "1.0" -> "1"; such keys go to it.
const NON_STRING_PLAIN = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+.0-9].*|)$/;

export class YamlEvents {
  private readonly events: Event[];
  /** For a collection event, the index just past its closing POP; for others, index + 1. */
  private readonly next: Int32Array;

  private constructor(
    private readonly text: string,
    events: Event[],
  ) {
    this.events = events;
    this.next = new Int32Array(events.length);
    const open: number[] = [];
    for (let index = 0; index < events.length; index += 1) {
      const event = events[index]!;
      if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE || event.type === EVENT_ID.DOCUMENT) open.push(index);
      else if (event.type === EVENT_ID.POP) {
        const start = open.pop();
        if (start !== undefined) this.next[start] = index + 1;
        this.next[index] = index + 1;
      } else this.next[index] = index + 1;
    }
  }

  /** Undefined when js-yaml cannot parse the text as one document (the `yaml` walk then decides). */
  static parse(text: string): YamlEvents | undefined {
    try {
      const events = parseEvents(text, {});
      const documents = events.filter((event) => event.type === EVENT_ID.DOCUMENT).length;
      return documents === 1 ? new YamlEvents(text, events) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Where the `yaml` walk would say a node starts: its value (a quoted scalar at its quote), after tag and anchor. */
  private startOf(event: Event): number | undefined {
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      // An implicit pair in a flow sequence (`[!Tag key: value]`, no braces) may start at its key's tag
      // for js-yaml and at the key's value for `yaml`; and a collection's own tag or anchor must not be in its start.
      if (event.type === EVENT_ID.MAPPING && event.style === COLLECTION_STYLE.FLOW && this.text[event.start] !== '{') return undefined;
      const props = Math.max(event.tagStart, event.anchorStart);
      return props >= 0 && event.start <= props ? undefined : event.start;
    }
    if (event.type !== EVENT_ID.SCALAR) return undefined;
    // A block scalar starts at its indicator ("|", ">") for the `yaml` walk, which events do not record.
    if (event.valueStart < 0 || event.style === SCALAR_STYLE.LITERAL_BLOCK || event.style === SCALAR_STYLE.FOLDED_BLOCK) return undefined;
    const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
    return quoted ? event.valueStart - 1 : event.valueStart;
  }

  private tagOf(event: Event): string | undefined {
    if (event.type === EVENT_ID.POP || event.type === EVENT_ID.DOCUMENT || event.type === EVENT_ID.ALIAS) return undefined;
    return event.tagStart < 0 ? undefined : this.text.slice(event.tagStart, event.tagEnd);
  }

  /** A key's text, when it is a plain string key with neither tag nor anchor; else undefined. */
  private keyText(event: Event): string | undefined {
    if (event.type !== EVENT_ID.SCALAR || event.tagStart >= 0 || event.anchorStart >= 0) return undefined;
    if (event.style !== SCALAR_STYLE.PLAIN && event.style !== SCALAR_STYLE.SINGLE_QUOTED && event.style !== SCALAR_STYLE.DOUBLE_QUOTED) return undefined;
    // Only fast (escape-free, one-line) scalars: their text is the slice.
    if (!event.fast) return undefined;
    const value = this.text.slice(event.valueStart, event.valueEnd);
    if (event.style === SCALAR_STYLE.PLAIN && NON_STRING_PLAIN.test(value)) return undefined;
    return value;
  }

  /** The walk of cfn-positions.ts over events; undefined where it might disagree. */
  walk(path: SourcePath): EventWalk | undefined {
    const { events } = this;
    // events[0] is the document; its content follows.
    let node = 1;
    const root = events[node];
    if (root === undefined || root.type === EVENT_ID.POP) return undefined;
    let offset = this.startOf(root);
    if (offset === undefined) return undefined;
    let found = 0;
    for (const segment of path) {
      const event = events[node];
      if (event === undefined || event.type === EVENT_ID.ALIAS) return undefined;
      if (typeof segment === 'string' && intrinsicForTag(this.tagOf(event)) === segment) {
        found += 1;
        continue;
      }
      if (event.type === EVENT_ID.MAPPING) {
        const wanted = String(segment);
        let child = node + 1;
        let hit: number | undefined;
        while (child < events.length && events[child]!.type !== EVENT_ID.POP) {
          const key = this.keyText(events[child]!);
          if (key === undefined) return undefined;
          const value = this.next[child]!;
          if (key === wanted) {
            hit = child;
            break;
          }
          child = this.next[value]!;
        }
        if (hit === undefined) break;
        offset = this.startOf(events[hit]!) ?? offset;
        node = this.next[hit]!;
      } else if (event.type === EVENT_ID.SEQUENCE && typeof segment === 'number') {
        let child = node + 1;
        for (let index = 0; index < segment && child < events.length && events[child]!.type !== EVENT_ID.POP; index += 1) child = this.next[child]!;
        const item = events[child];
        if (item === undefined || item.type === EVENT_ID.POP) break;
        if (item.type === EVENT_ID.ALIAS) return undefined;
        const start = this.startOf(item);
        if (start === undefined) return undefined;
        offset = start;
        node = child;
      } else break;
      found += 1;
    }
    return { offset, found };
  }
}
