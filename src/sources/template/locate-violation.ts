// Turns a violation's config path into a place a user can open: file:line:column, or a Terraform address.
import { locate, type PositionSource } from './cfn-positions.js';
import type { MappedResource } from './mapped-resource.js';
import { sourcePathFor, type ConfigPath, type SourcePath } from './source-path.js';

export interface SourceLocation {
  readonly file: string;
  /** The template path (CloudFormation) or [address, ...attribute path] (Terraform plan). */
  readonly sourcePath: SourcePath;
  /** 1-based; CloudFormation only (a plan has no source lines). */
  readonly line?: number;
  readonly column?: number;
  /** Terraform only: the resource address, e.g. module.net.aws_security_group.web. */
  readonly address?: string;
  /** Terraform only: the attribute path within the resource, e.g. ingress[0].cidr_blocks. */
  readonly attribute?: string;
}

/**
 * Where `configPath` (a Violation.path) of one variant comes from. For CloudFormation pass the loaded
 * template: positions are computed now, on demand, and cached for the template.
 */
export function locateInSource(
  mapped: MappedResource,
  variant: number,
  configPath: ConfigPath | undefined,
  template?: PositionSource,
): SourceLocation {
  const entries = mapped.variants[variant]?.paths ?? [];
  const sourcePath = sourcePathFor(entries, configPath ?? [], mapped.sourcePath);
  if (mapped.origin === 'terraform') {
    const [address, ...attribute] = sourcePath;
    return { file: mapped.file, sourcePath, address: String(address ?? mapped.sourceId), attribute: attributeText(attribute) };
  }
  if (template === undefined) return { file: mapped.file, sourcePath };
  const { line, column } = locate(template, sourcePath);
  return { file: mapped.file, sourcePath, line, column };
}

function attributeText(path: SourcePath): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}
