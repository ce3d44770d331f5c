// The one error template loading throws: an InputError naming file, line and a machine-readable cause.
import { InputError } from '../../core/errors.js';

/** Why a template was refused; stable strings, counted by the corpus test and usable by a CLI. */
export type TemplateRefusal =
  | 'unreadable'
  | 'too-large'
  | 'binary'
  | 'syntax'
  | 'alias-limit'
  | 'too-deep'
  | 'not-a-template'
  | 'structure'
  | 'internal';

export class TemplateInputError extends InputError {
  readonly refusal: TemplateRefusal;
  readonly file: string;
  /** 1-based, where known. */
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    refusal: TemplateRefusal,
    message: string,
    where: { file: string; line?: number; column?: number },
    cause?: unknown,
  ) {
    const place = [where.file, where.line, where.line === undefined ? undefined : where.column]
      .filter((part) => part !== undefined)
      .join(':');
    super(message, place, cause);
    this.refusal = refusal;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}
