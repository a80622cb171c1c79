import { z } from 'zod';

/**
 * A field of a state document left `null`, and why (an extension of the specification's
 * documents, present only when something is missing): `field` is the dotted path in the document
 * (`'derived.daily_high'`, `'key_levels.weekly_high'`), `reason` names what was missing.
 *
 * @example
 * ```ts
 * MissingFieldSchema.parse({ field: 'derived.atr_14_1H', reason: 'fewer than 15 closed 1H bars are held' })
 * ```
 */
export const MissingFieldSchema = z.object({
  field: z.string().min(1),
  reason: z.string().min(1),
});

/** A field of a state document left `null`, and why; see {@link MissingFieldSchema}. */
export type MissingField = z.output<typeof MissingFieldSchema>;
