// The params of a rule that takes none: an empty mapping, so a stray key in leuko.yaml is an error.
import * as z from 'zod';

export type EmptyParams = Record<never, never>;

export const emptyParamsSchema: z.ZodType<EmptyParams> = z.strictObject({});
