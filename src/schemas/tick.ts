import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, { message: 'Expected a finite number' });

/**
 * One trade (tick). `timestamp` is integer epoch milliseconds, UTC; `price` in the quote
 * currency; `quantity` in the base asset; `side` is the taker's side (`buy` = the buyer
 * lifted an ask). Market rules (positive price and quantity, ordering, unique ids) are
 * checked by `validateTicks`.
 */
export const TickSchema = z.object({
  /** Trade time, integer epoch milliseconds, UTC. */
  timestamp: z.number().int().refine(Number.isSafeInteger, { message: 'Expected a safe integer' }),
  price: finite,
  quantity: finite,
  /** The taker's side. */
  side: z.enum(['buy', 'sell']),
  /** The exchange's trade id. */
  tradeId: z.number().int(),
});

/** One trade; see {@link TickSchema}. */
export type Tick = z.output<typeof TickSchema>;
