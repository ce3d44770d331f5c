// The part of js-yaml 4 (installed as the alias `js-yaml4`, which ships no types) that the fast template read uses.
declare module 'js-yaml4' {
  export interface TypeOptions {
    kind: 'scalar' | 'sequence' | 'mapping';
    /** Whether the node's data is of this type (for implicit types: whether a plain scalar reads as it). */
    resolve?: (data: unknown) => boolean;
    construct?: (data: unknown) => unknown;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
    readonly tag: string;
  }
  export class Schema {
    extend(definition: { implicit?: Type[]; explicit?: Type[] }): Schema;
  }
  export const FAILSAFE_SCHEMA: Schema;
  export const types: { readonly null: Type; readonly bool: Type };
  export interface LoadOptions {
    schema?: Schema;
    filename?: string;
    /** Deeper nesting throws. */
    maxDepth?: number;
  }
  export function load(text: string, options?: LoadOptions): unknown;
}
