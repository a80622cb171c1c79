import { z } from 'zod';

/** A fraction in `[0, 1]`, such as a quality score. */
export const FractionSchema = z.number().min(0).max(1);

/** A finite number (zod 4 numbers refuse NaN and ±Infinity). */
export const WireNumberSchema = z.number();

/** A count: a non-negative safe integer. */
export const CountSchema = z.number().int().nonnegative();
