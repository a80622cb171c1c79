export { detectGaps } from './detect-gaps.js';
export type { GapDetection, DetectGapsOptions } from './detect-gaps.js';
export type { Gap, GapIssue, GapReport, MarketCalendar } from './gap.js';
export { classifyGap, GapSize } from './classify-gap.js';
export { fillGaps } from './fill-gaps.js';
export { GapResolution } from './gap.js';
export type { FillGapsOptions, FillGapsResult } from './fill-gaps.js';
