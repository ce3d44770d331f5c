// YAML short-form intrinsic tags (!Ref, !Sub, !GetAtt, …) read as the long JSON forms CloudFormation uses.
import { YAMLMap, YAMLSeq, type CollectionTag, type ScalarTag, type Tags } from 'yaml';

/** Short tag name (without "!") to the long intrinsic key. */
export const SHORT_FORM_INTRINSICS: Readonly<Record<string, string>> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  FindInMap: 'Fn::FindInMap',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  GetAZs: 'Fn::GetAZs',
  Transform: 'Fn::Transform',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

/** Long intrinsic key for a YAML tag ("!Sub" → "Fn::Sub"), if it is one of ours. */
export function intrinsicForTag(tag: string | undefined): string | undefined {
  if (tag === undefined || !tag.startsWith('!')) return undefined;
  return Object.hasOwn(SHORT_FORM_INTRINSICS, tag.slice(1)) ? SHORT_FORM_INTRINSICS[tag.slice(1)] : undefined;
}

/** A one-key object, built without the `__proto__` setter so no key can change a prototype. */
export function wrapIntrinsic(key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** A scalar short form read as its long form; "!GetAtt A.B" is the dotted form, split at the first dot only (attribute names may hold dots). */
export function scalarIntrinsic(long: string, source: string): Record<string, unknown> {
  if (long !== 'Fn::GetAtt') return wrapIntrinsic(long, source);
  const dot = source.indexOf('.');
  return wrapIntrinsic(long, dot < 0 ? [source] : [source.slice(0, dot), source.slice(dot + 1)]);
}

function scalarTag(short: string, long: string): ScalarTag {
  return { tag: `!${short}`, resolve: (value: string) => scalarIntrinsic(long, value) };
}

// Collection tags keep the YAML node (so positions can still be looked up inside them) and only
// change how the node becomes JS: a tagged sequence or map turns into { "Fn::X": <contents> }.
// toJSON is declared to return an array (a Map); returning the wrapping object is the point, hence the casts.
function collectionTags(short: string, long: string): CollectionTag[] {
  class TaggedSeq extends YAMLSeq {
    override toJSON(...args: Parameters<YAMLSeq['toJSON']>): unknown[] {
      return wrapIntrinsic(long, super.toJSON(...args)) as unknown as unknown[];
    }
  }
  class TaggedMap extends YAMLMap {
    override toJSON(...args: Parameters<YAMLMap['toJSON']>): never {
      return wrapIntrinsic(long, super.toJSON(args[0], args[1])) as never;
    }
  }
  return [
    { tag: `!${short}`, collection: 'seq', nodeClass: TaggedSeq },
    { tag: `!${short}`, collection: 'map', nodeClass: TaggedMap },
  ];
}

/** The custom tags to pass to the `yaml` parser for CloudFormation templates. */
export const CFN_YAML_TAGS: Tags = Object.entries(SHORT_FORM_INTRINSICS).flatMap(([short, long]) => [
  scalarTag(short, long),
  ...collectionTags(short, long),
]);
