// Test helper: load and map a YAML template in one call, and pick resources out of the mapping.
import { expect } from 'vitest';
import { MODEL_SCHEMAS } from '../../../src/core/models/index.js';
import type { AnyResource } from '../../../src/core/resource.js';
import type { ResourceTypeId } from '../../../src/core/resource-types.js';
import { loadTemplate, type LoadedTemplate } from '../../../src/sources/template/cfn-parse.js';
import { mapTemplate, type MapTemplateOptions, type TemplateMapping } from '../../../src/sources/template/cfn-map.js';
import type { MappedResource } from '../../../src/sources/template/mapped-resource.js';

export interface Mapped {
  readonly loaded: LoadedTemplate;
  readonly mapping: TemplateMapping;
  /** The mapped resource with this source id (logical id, or a synthetic key). */
  get(sourceId: string): MappedResource;
  /** The only variant's resource of `sourceId`, typed. */
  only<T extends ResourceTypeId>(sourceId: string, type: T): Extract<AnyResource, { type: T }>;
}

export function mapYaml(yaml: string, options: MapTemplateOptions = {}, file = 't.yaml'): Mapped {
  const loaded = loadTemplate(yaml, file);
  const mapping = mapTemplate(loaded, options);
  // Every model a mapper builds must satisfy the canonical schema.
  for (const mapped of mapping.resources) {
    for (const variant of mapped.variants) {
      const parsed = MODEL_SCHEMAS[variant.resource.type].safeParse(variant.resource.config);
      expect(parsed.success, `${mapped.sourceId}: ${parsed.error?.message ?? ''}`).toBe(true);
    }
  }
  const get = (sourceId: string) => {
    const found = mapping.resources.find((resource) => resource.sourceId === sourceId);
    if (!found) throw new Error(`no mapped resource ${sourceId} (have ${mapping.resources.map((r) => r.sourceId).join(', ')})`);
    return found;
  };
  return {
    loaded,
    mapping,
    get,
    only<T extends ResourceTypeId>(sourceId: string, type: T) {
      const mapped = get(sourceId);
      expect(mapped.variants).toHaveLength(1);
      const resource = mapped.variants[0]?.resource;
      expect(resource?.type).toBe(type);
      return resource as Extract<AnyResource, { type: T }>;
    },
  };
}
