import { z } from 'zod';

/** A share in [0, 1]. */
export const fraction = z.number().min(0).max(1);
/** A finite positive number. */
export const positive = z.number().positive().refine(Number.isFinite, { message: 'Expected a finite number' });
/** A positive integer. */
export const positiveInt = z.number().int().positive();
/** A non-negative integer. */
export const nonNegativeInt = z.number().int().nonnegative();
