// Paths into a template (or a plan) and into a canonical config, and the map between them.

/** Keys and indices from a template's root, e.g. ['Resources', 'WebSG', 'Properties', 'SecurityGroupIngress', 0]. */
export type SourcePath = ReadonlyArray<string | number>;

/** Keys and indices into `resource.config`, as in `Violation.path`. */
export type ConfigPath = ReadonlyArray<string | number>;

/** One correspondence: this part of the canonical config came from that part of the source. */
export interface PathMapEntry {
  readonly config: ConfigPath;
  readonly source: SourcePath;
}

/**
 * The source path of a config path: the entry with the longest config prefix of `configPath`, so a
 * violation deep inside a rule still points at that rule; `fallback` when nothing matches.
 */
export function sourcePathFor(entries: readonly PathMapEntry[], configPath: ConfigPath, fallback: SourcePath): SourcePath {
  let best: PathMapEntry | undefined;
  for (const entry of entries) {
    if (entry.config.length > configPath.length) continue;
    if (best !== undefined && entry.config.length <= best.config.length) continue;
    if (entry.config.every((segment, index) => segment === configPath[index])) best = entry;
  }
  return best?.source ?? fallback;
}
