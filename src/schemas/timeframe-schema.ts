import { z } from 'zod';
import { TIMEFRAMES } from '../time/timeframe.js';

/** A canonical timeframe name (see `TIMEFRAMES`); ccxt spellings are read by `parseTimeframe`. */
export const TimeframeSchema = z.enum(TIMEFRAMES);
