// The fast YAML read of a template: js-yaml with the CloudFormation short-form tags, no positions and no AST.
// It only ever accepts what the position-keeping `yaml` read (cfn-parse.ts) reads to the same data;
// anything it is unsure about (aliases, directives, an error of any kind) is left to that read.
import { CORE_SCHEMA, defineMappingTag, defineScalarTag, defineSequenceTag, load, mapTag, type TagDefinition } from 'js-yaml';
import { SHORT_FORM_INTRINSICS } from './cfn-tags.js';

/** A one-key object, built without the `__proto__` setter so no key can change a prototype. */
function wrap(key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const loadOnly = (): boolean => false;

// The same results as cfn-tags.ts gives the `yaml` parser: "!GetAtt A.B.C" splits at the first dot;
// a tagged sequence or mapping becomes { "Fn::X": <contents> }.
function shortFormTags(short: string, long: string): TagDefinition[] {
  const tag = `!${short}`;
  return [
    defineScalarTag(tag, {
      identify: loadOnly,
      resolve: (source) => {
        if (long !== 'Fn::GetAtt') return wrap(long, source);
        const dot = source.indexOf('.');
        return wrap(long, dot < 0 ? [source] : [source.slice(0, dot), source.slice(dot + 1)]);
      },
    }),
    defineSequenceTag<unknown[], Record<string, unknown>>(tag, {
      identify: loadOnly,
      create: () => [],
      addItem: (items, item) => {
        items.push(item);
      },
      finalize: (items) => wrap(long, items),
    }),
    defineMappingTag<Record<string, unknown>, Record<string, unknown>>(tag, {
      identify: loadOnly,
      create: () => ({}),
      addPair: (map, key, value) => mapTag.addPair(map, key, value),
      has: (map, key) => mapTag.has(map, key),
      keys: (map) => Object.keys(map),
      get: (map, key) => mapTag.get(map, key),
      finalize: (map) => wrap(long, map),
    }),
  ];
}

const CFN_SCHEMA = CORE_SCHEMA.withTags(Object.entries(SHORT_FORM_INTRINSICS).flatMap(([short, long]) => shortFormTags(short, long)));

/** A directive (%YAML 1.1 changes the schema in the `yaml` read): left to that read. */
const DIRECTIVE = /^%/m;

/**
 * The template's data, or undefined when the fast read declines or fails: the caller then reads
 * the text with the `yaml` parser, which gives today's errors, warnings and limits exactly.
 * `maxDepth` bounds nesting here too, so hostile input cannot overflow the stack.
 */
export function fastYamlRead(text: string, maxDepth: number): unknown {
  if (DIRECTIVE.test(text)) return undefined;
  try {
    // maxAliases 0: any alias fails here and goes to the `yaml` read, whose maxAliasCount bounds alias bombs.
    return load(text, { schema: CFN_SCHEMA, maxAliases: 0, maxDepth: maxDepth + 1 });
  } catch {
    return undefined;
  }
}
