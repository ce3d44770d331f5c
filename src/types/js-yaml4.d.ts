// The part of js-yaml 4 (installed as the alias `js-yaml4`, which ships no types) that the fast template read uses.
declare module 'js-yaml4' {
  export interface TypeOptions {
    kind: 'scalar' | 'sequence' | 'mapping';
    /** The type serves every tag that starts with its own (e.g. "!" for any local tag the schema lacks). */
    multi?: boolean;
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
  /** What the loader shows a listener of a node: where it is, and once closed, what it read. */
  export interface NodeState {
    /** Offset in the text: at 'open', where the node's reading starts (before separation space and properties). */
    readonly position: number;
    /** At 'close': 'scalar', 'sequence' or 'mapping'; null for an empty node. */
    readonly kind: 'scalar' | 'sequence' | 'mapping' | null;
    /** At 'close': the explicit tag ("!Ref", "tag:yaml.org,2002:str"), the resolved implicit type's tag, "?" or null. */
    readonly tag: string | null;
    /** At 'close': the constructed value. */
    readonly result: unknown;
  }
  /** Called as each node is opened and closed, in document order. */
  export type NodeListener = (event: 'open' | 'close', state: NodeState) => void;
  export interface LoadOptions {
    listener?: NodeListener;
    schema?: Schema;
    filename?: string;
    /** Deeper nesting throws. */
    maxDepth?: number;
  }
  export function load(text: string, options?: LoadOptions): unknown;
}
