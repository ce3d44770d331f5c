// Public API of the template sources: CloudFormation and Terraform plans to canonical resources.
export {
  DEFAULT_MAX_TEMPLATE_BYTES,
  decodeText,
  loadTemplate,
  loadTemplateFile,
  type LoadOptions,
  type LoadedTemplate,
  type TemplateBody,
  type TemplateWarning,
} from './cfn-parse.js';
export { locate, type PositionSource, type SourcePosition } from './cfn-positions.js';
export { parseParameterFile } from './cfn-parameters.js';
export { TemplateResolver, type ParameterValue, type ResolveOptions } from './cfn-resolve.js';
export {
  hasMappedResource,
  MAPPED_CFN_TYPES,
  SAM_TRANSFORM,
  mapTemplate,
  type MapTemplateOptions,
  type SkippedResource,
  type TemplateMapping,
} from './cfn-map.js';
export { DEFAULT_MAX_SCENARIOS } from './cfn-map/context.js';
export { TEMPLATE_STACK_STATUS } from './cfn-map/stack.js';
export { Unresolved, isUnresolved, type ResourceTarget } from './cfn-values.js';
export {
  combineVariantViolations,
  isConditional,
  type MappedResource,
  type ResourceVariant,
  type VariantViolation,
} from './mapped-resource.js';
export { locateInSource, type SourceLocation } from './locate-violation.js';
export { sourcePathFor, type ConfigPath, type PathMapEntry, type SourcePath } from './source-path.js';
export { EC2_CANONICAL_ID, TEMPLATE_OWNER_ID, cannedAclGrants } from './s3-acl.js';
export { defaultEgressRule } from './sg-rules.js';
export { TemplateInputError, type TemplateRefusal } from './template-error.js';
export {
  MAPPED_TERRAFORM_TYPES,
  loadTerraformPlan,
  type TerraformMapping,
  type TerraformPlanOptions,
} from './terraform-plan.js';
