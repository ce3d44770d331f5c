// Child process of the corpus test: loads and maps each template, reporting per file, then times the phases.
import { readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { MODEL_SCHEMAS } from '../../src/core/models/index.js';
import { decodeText, loadTemplate, DEFAULT_MAX_TEMPLATE_BYTES } from '../../src/sources/template/cfn-parse.js';
import { CFN_YAML_TAGS } from '../../src/sources/template/cfn-tags.js';
import { mapTemplate } from '../../src/sources/template/cfn-map.js';
import { locate } from '../../src/sources/template/cfn-positions.js';
import { TemplateInputError } from '../../src/sources/template/template-error.js';
import { listFiles } from './list-files.js';

export type WorkerMessage =
  | { kind: 'start'; index: number }
  | {
      kind: 'done';
      index: number;
      outcome: 'loaded' | 'refused' | 'crashed';
      refusal?: string;
      message?: string;
      resources?: number;
      conditional?: number;
      schemaFailures?: string[];
      pathFailures?: string[];
      ms: number;
    }
  | { kind: 'timing-start'; name: string }
  | { kind: 'timing'; name: string; templates: number; seconds: number };

const send = (message: WorkerMessage) => process.send?.(message);
const files = listFiles(process.argv[2] ?? '.');
const from = Number(process.argv[3] ?? '0');
const timingPasses = process.argv[4] === 'time';

function readText(file: string): string {
  if (statSync(file).size > DEFAULT_MAX_TEMPLATE_BYTES) return '';
  return decodeText(readFileSync(file), file);
}

for (let index = from; index < files.length; index += 1) {
  const file = files[index] as string;
  send({ kind: 'start', index });
  const started = performance.now();
  try {
    const loaded = loadTemplate(readText(file), file);
    const mapping = mapTemplate(loaded, { region: 'us-east-1' });
    const schemaFailures: string[] = [];
    const pathFailures: string[] = [];
    let conditional = 0;
    for (const mapped of mapping.resources) {
      if (mapped.variants.length > 1 || mapped.mayBeAbsent) conditional += 1;
      if (!locate(loaded, mapped.sourcePath).exact) pathFailures.push(`${mapped.sourceId}: ${mapped.sourcePath.join('.')}`);
      for (const variant of mapped.variants) {
        const parsed = MODEL_SCHEMAS[variant.resource.type].safeParse(variant.resource.config);
        if (!parsed.success) schemaFailures.push(`${mapped.sourceId}: ${parsed.error.message.slice(0, 200)}`);
        // Every path-map entry must point at something that is in the text.
        for (const entry of variant.paths) {
          if (!locate(loaded, entry.source).exact) pathFailures.push(`${mapped.sourceId}: ${entry.source.join('.')}`);
        }
      }
    }
    send({ kind: 'done', index, outcome: 'loaded', resources: mapping.resources.length, conditional, schemaFailures, pathFailures, ms: performance.now() - started });
  } catch (error) {
    const known = error instanceof TemplateInputError;
    send({
      kind: 'done',
      index,
      outcome: known ? 'refused' : 'crashed',
      refusal: known ? error.refusal : undefined,
      message: error instanceof Error ? error.message : String(error),
      ms: performance.now() - started,
    });
  }
}

if (timingPasses) {
  // Texts are read first: the passes time parsing and mapping, not the disk.
  const texts: Array<{ file: string; text: string }> = [];
  for (const file of files) {
    try {
      texts.push({ file, text: readText(file) });
    } catch {
      // Binary files are refused above; they take no part in the timing.
    }
  }
  const time = (name: string, run: (text: string, file: string) => unknown) => {
    send({ kind: 'timing-start', name });
    for (const { file, text } of texts.slice(0, 200)) {
      try {
        run(text, file); // warm-up, so the JIT is not timed
      } catch {
        // refusals are counted above
      }
    }
    const started = performance.now();
    for (const { file, text } of texts) {
      try {
        run(text, file);
      } catch {
        // idem
      }
    }
    send({ kind: 'timing', name, templates: texts.length, seconds: (performance.now() - started) / 1000 });
  };
  // (a) the parse alone: JSON.parse, or the YAML parse with the CloudFormation tags.
  time('plain parse', (text) => {
    const first = /^\s*(.)/.exec(text)?.[1];
    if (first === '{' || first === '[') {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // falls through to YAML, as the loader does
      }
    }
    const doc = parseDocument(text, { customTags: CFN_YAML_TAGS, logLevel: 'error' });
    return doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 });
  });
  time('load (parse + checks)', (text, file) => loadTemplate(text, file));
  time('load + resolve + map', (text, file) => mapTemplate(loadTemplate(text, file), { region: 'us-east-1' }));
  // What positions cost when a template has a finding: one lookup (the first of each template pays the position parse).
  time('load + map + one position', (text, file) => {
    const loaded = loadTemplate(text, file);
    const mapping = mapTemplate(loaded, { region: 'us-east-1' });
    const first = mapping.resources[0];
    return first ? locate(loaded, first.sourcePath) : undefined;
  });
}
