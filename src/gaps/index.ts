export { detectGaps } from './detect-gaps.js';
export type { Gap, GapIssue, GapDetection, DetectGapsOptions, MarketCalendar } from './detect-gaps.js';
export { classifyGap, GapSize } from './classify-gap.js';
export { fillGaps, GapResolution } from './fill-gaps.js';
export type { GapReport, FillGapsOptions, FillGapsResult } from './fill-gaps.js';
