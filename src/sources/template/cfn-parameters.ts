// Reads CloudFormation parameter files: the CLI's [{ParameterKey, ParameterValue}] and the {"Parameters": {...}} form.
import { errorMessage } from '../../core/errors.js';
import { unknownValue } from '../../core/unknown.js';
import { jsonErrorPosition } from './json-positions.js';
import type { ParameterValue } from './cfn-resolve.js';
import { TemplateInputError } from './template-error.js';

/**
 * Parameter values by name. Accepts the `aws cloudformation create-stack --parameters file://…` array
 * and the CodePipeline template-configuration object `{"Parameters": {"Name": "value"}}`.
 * `UsePreviousValue: true` keeps the deployed value, which a file cannot tell: that one is unknown.
 */
export function parseParameterFile(text: string, file: string): Record<string, ParameterValue> {
  let data: unknown;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    data = JSON.parse(body);
  } catch (error) {
    const message = errorMessage(error);
    const at = jsonErrorPosition(body);
    throw new TemplateInputError('syntax', `invalid JSON in parameter file: ${message}`, { file, line: at?.line, column: at?.column }, error);
  }
  const values: Record<string, ParameterValue> = {};
  const set = (key: string, value: ParameterValue) => Object.defineProperty(values, key, { value, enumerable: true, writable: true, configurable: true });
  if (Array.isArray(data)) {
    data.forEach((entry: unknown, index) => {
      const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      const key = record.ParameterKey;
      if (typeof key !== 'string') throw new TemplateInputError('structure', `entry ${index} has no ParameterKey`, { file });
      if (record.UsePreviousValue === true) set(key, unknownValue(`parameter ${key} keeps its previous (deployed) value`));
      else set(key, textOf(record.ParameterValue, key, file));
    });
    return values;
  }
  const parameters = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).Parameters : undefined;
  if (typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters)) {
    for (const [key, value] of Object.entries(parameters)) set(key, textOf(value, key, file));
    return values;
  }
  throw new TemplateInputError(
    'structure',
    'not a parameter file: expected [{"ParameterKey": …, "ParameterValue": …}] or {"Parameters": {…}}',
    { file },
  );
}

function textOf(value: unknown, key: string, file: string): string | string[] {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw new TemplateInputError('structure', `parameter ${key} has no string value`, { file });
}
