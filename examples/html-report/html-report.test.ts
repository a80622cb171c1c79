import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, RevisedBar } from 'market-data-pipeline';
import { generateOhlcv } from 'market-data-pipeline/testing';
import { DAY_START, DEMO_SYMBOLS, MARKET_GAPS, main, type DemoSummary } from '../demo/main.js';
import { renderReport } from './render-report.js';
import type { ReportInput } from './report-input.js';
import { readChartScript } from './write-report.js';

// The report of a pipeline run, opened in headless Chromium (Debian's package, driven by
// playwright-core, launched as test/browser/browser.test.ts does): the page must draw what the
// run delivered, log no error and fetch nothing.

const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 120_000;
const MINUTE = 60_000;

/** What the page exposes once drawn (see `renderReport`). */
interface PageReport {
  readonly ready: boolean;
  readonly series: Record<
    string,
    {
      readonly candles: number;
      readonly markers: number;
      readonly markersByKind: { readonly synthetic: number; readonly missing: number; readonly clipped: number; readonly revised: number };
      readonly shaded: number;
      readonly quality: number;
    }
  >;
}

/** A page opened on a file, with every console error and every request it made. */
interface Opened {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
  readonly report: PageReport;
}

/** Freezes a value and everything in it, so a mutation throws (ESM is strict mode). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('renderReport', () => {
  const T0 = Date.UTC(2025, 0, 30);
  const input: ReportInput = deepFreeze({
    title: 'a </script> & "quotes"',
    series: [
      { symbol: 'BTC<USD', timeframe: '1m', bars: [{ timestamp: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, revision: 0 }] },
    ],
    gaps: [],
    failovers: [],
    quality: [],
    alerts: [],
  });

  it('returns the same page for the same input, without changing it (the input is frozen)', () => {
    const a = renderReport(input, { chartScript: 'window.LightweightCharts = {};' });
    expect(renderReport(input, { chartScript: 'window.LightweightCharts = {};' })).toBe(a);
  });

  it('inlines the chart script and the data, escaping what could end their elements, and links to nothing', () => {
    const html = renderReport(input, { chartScript: 'var s = "</script><b>";' });
    expect(html).toContain('var s = "<\\/script><b>";');
    expect(html).toContain('<title>a &lt;/script&gt; &amp; &quot;quotes&quot;</title>');
    // The model is JSON with every `<` escaped, so the data cannot close its script element.
    const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(data).not.toContain('<');
    expect((JSON.parse(data) as { symbols: string[] }).symbols).toEqual(['BTC<USD']);
    // Only inline scripts and styles; the CSP forbids fetching anything else.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\//);
    expect(html).toContain(`default-src 'none'`);
  });
});

const chromiumMissing = !existsSync(CHROMIUM);
const describeChromium = chromiumMissing ? describe.skip : describe;

describeChromium(
  chromiumMissing
    ? `html report in headless Chromium (skipped: ${CHROMIUM} not installed; apt-get install -y chromium)`
    : 'html report in headless Chromium',
  () => {
    let browser: Browser | undefined;
    let root: string;

    async function open(file: string): Promise<Opened> {
      const page = await (browser as Browser).newPage({ viewport: { width: 1100, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => (window as unknown as { report?: PageReport }).report?.ready === true, undefined, {
        timeout: 30_000,
      });
      const report = await page.evaluate(() => (window as unknown as { report: PageReport }).report);
      return { page, errors, requests, report };
    }

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'mdp-html-report-'));
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
    }, TIMEOUT_MS);

    afterAll(async () => {
      await browser?.close();
      await rm(root, { recursive: true, force: true });
    }, TIMEOUT_MS);

    describe('renderReport on a run built by hand', () => {
      // Ten 1m bars from 00:00 with, by construction: 00:02 interpolated, 00:03 forward-filled,
      // 00:04 clipped, 00:05 delivered again (revision 1); 00:06–00:08 a gap marked missing (3
      // bars with no candle); 00:09 real. The feed is on the backup from 00:01:30 to 00:04:10.
      const T0 = Date.UTC(2025, 0, 30);
      const bar = (minute: number, extra: Partial<RevisedBar> = {}): RevisedBar => ({
        timestamp: T0 + minute * MINUTE,
        open: 100 + minute,
        high: 102 + minute,
        low: 99 + minute,
        close: 101 + minute,
        volume: 1,
        revision: 0,
        ...extra,
      });
      const bars = [
        bar(0),
        bar(1),
        bar(2, { flag: 'interpolated' }),
        bar(3, { flag: 'forward_filled' }),
        bar(4, { flag: 'clipped' }),
        bar(5, { revision: 1 }),
        bar(9),
      ];
      const alert: Alert = {
        alert_id: 'DATA-ALERT-001',
        timestamp: '2025-01-30T00:01:30Z',
        severity: 'warning',
        type: 'failover',
        message: 'primary down; switched to backup',
        affected: { symbol: 'BTCUSD' },
        action_taken: 'failover',
        escalate: false,
      };
      const input: ReportInput = {
        title: 'hand-built <run>',
        series: [
          { symbol: 'BTCUSD', timeframe: '1m', bars },
          {
            symbol: 'BTCUSD',
            timeframe: '5m',
            bars: [bar(0, { high: 110 }), bar(5, { revision: 2 })].map((b, i) => ({ ...b, timestamp: T0 + i * 5 * MINUTE })),
          },
        ],
        gaps: [
          {
            symbol: 'BTCUSD',
            timeframe: '1m',
            report: {
              gap: { start: T0 + 6 * MINUTE, end: T0 + 9 * MINUTE, missingBars: 3, before: 5, after: 6 },
              size: 'large',
              resolution: 'marked_missing',
              missingBars: 3,
              filledBars: 0,
              notify: false,
              escalate: true,
              sessionEdge: false,
            },
          },
        ],
        failovers: [
          { symbol: 'BTCUSD', from: 'healthy', to: 'on_backup', actions: [{ kind: 'failover', to: 'backup' }], at: T0 + 90_000 },
          { symbol: 'BTCUSD', from: 'on_backup', to: 'healthy', actions: [{ kind: 'switch_back', to: 'primary' }], at: T0 + 250_000 },
        ],
        quality: [
          { symbol: 'BTCUSD', timeframe: '1m', at: T0, score: 1 },
          { symbol: 'BTCUSD', timeframe: '1m', at: T0 + 2 * MINUTE, score: 0.9 },
          { symbol: 'BTCUSD', timeframe: '1m', at: T0 + 2 * MINUTE + 1, score: 0.8 },
        ],
        alerts: [alert],
      };
      let opened: Opened;

      beforeAll(async () => {
        const file = join(root, 'hand.html');
        await writeFile(file, renderReport(input, { chartScript: await readChartScript() }));
        opened = await open(file);
      }, TIMEOUT_MS);

      it('draws each bar as a candle and marks synthetic, clipped, revised and missing bars', () => {
        expect(opened.errors).toEqual([]);
        expect(opened.report.series['BTCUSD 1m']).toEqual({
          candles: 7,
          markers: 2 + 1 + 1 + 3,
          markersByKind: { synthetic: 2, clipped: 1, revised: 1, missing: 3 },
          // Bars overlapping [00:01:30, 00:04:10): 00:01, 00:02, 00:03, 00:04.
          shaded: 4,
          // Scores at 00:00 and 00:02 (the later of the two at 00:02 wins: one point per bar).
          quality: 2,
        });
        // 5m bars 00:00 and 00:05: the second revised; only the first overlaps the backup period.
        expect(opened.report.series['BTCUSD 5m']).toEqual({
          candles: 2,
          markers: 1,
          markersByKind: { synthetic: 0, clipped: 0, revised: 1, missing: 0 },
          shaded: 1,
          quality: 0,
        });
      });

      it('escapes text, switches timeframes and links an alert to its time', async () => {
        const { page } = opened;
        expect(await page.title()).toBe('hand-built <run>');
        expect(await page.locator('[data-series="BTCUSD 5m"]').isHidden()).toBe(true);
        await page.click('#timeframes button[data-timeframe="5m"]');
        expect(await page.locator('[data-series="BTCUSD 5m"]').isVisible()).toBe(true);
        expect(await page.locator('[data-series="BTCUSD 1m"]').isHidden()).toBe(true);
        const link = page.locator('#alerts a[data-at]');
        expect(await link.getAttribute('data-at')).toBe(String(Date.parse(alert.timestamp)));
        await link.click();
        expect(opened.errors).toEqual([]);
      });
    });

    describe("the demo's report", () => {
      let summary: DemoSummary;
      let text = '';
      let opened: Opened;

      beforeAll(async () => {
        summary = await main({ root, out: { write: (chunk: string) => (text += chunk) } });
        opened = await open(summary.report);
      }, TIMEOUT_MS);

      it('is written beside the state files and its path printed', () => {
        expect(summary.report).toBe(join(root, 'state', 'report.html'));
        expect(text).toMatch(/\nreport: .*state\/report\.html\n/);
      });

      it('shows a full day of candles per series and one marker per synthetic and revised bar', () => {
        expect(opened.errors).toEqual([]);
        // A UTC day holds 1440 1m bars, 1440/5 = 288 5m, 96 15m, 24 1H, 6 4H and one 1D bar.
        const perDay: Record<string, number> = { '1m': 1440, '5m': 288, '15m': 96, '1H': 24, '4H': 6, '1D': 1 };
        expect(Object.keys(opened.report.series).sort()).toEqual(summary.series.map((s) => `${s.symbol} ${s.timeframe}`).sort());
        for (const s of summary.series) {
          const drawn = opened.report.series[`${s.symbol} ${s.timeframe}`];
          expect(drawn?.candles, `${s.symbol} ${s.timeframe}`).toBe(perDay[s.timeframe]);
          // The demo's table counts filled and revised bars from the pipeline's store.
          expect(drawn?.markersByKind, `${s.symbol} ${s.timeframe}`).toEqual({
            synthetic: s.filled,
            revised: s.revised,
            missing: s.missing,
            clipped: 0,
          });
          expect(drawn?.markers).toBe(s.filled + s.revised + s.missing);
          expect(drawn?.quality).toBeGreaterThan(0);
        }
        // The market's own gaps (at most 4 bars, so filled by the gap strategies) are the 1m
        // synthetic bars left at the end of the day; the backup's holes were replaced by real bars.
        for (const { symbol, ...settings } of DEMO_SYMBOLS) {
          const { gaps } = generateOhlcv({ ...settings, ...MARKET_GAPS, start: DAY_START, count: 1440, timeframe: '1m' });
          expect(opened.report.series[`${symbol} 1m`]?.markersByKind.synthetic).toBe(gaps.reduce((n, g) => n + g.missing, 0));
          // The outage 19:00–19:20 plus the minute before the switch back shades at least 20 1m bars.
          expect(opened.report.series[`${symbol} 1m`]?.shaded).toBeGreaterThanOrEqual(20);
        }
      });

      it('makes no network request and saves a screenshot of the outage', async () => {
        const { page, requests } = opened;
        expect(requests).toEqual([pathToFileURL(summary.report).href]);
        expect(await page.content()).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
        // The feed timeline's first move (the outage detected) zooms every 1m chart on the outage.
        await page.locator('#feed a[data-at]').first().click();
        await page.mouse.move(1, 1);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(300);
        const path = process.env['REPORT_SCREENSHOT'] ?? join(root, 'report.png');
        await page.screenshot({ path: resolve(path), clip: { x: 0, y: 0, width: 1100, height: 900 } });
        const png = await readFile(resolve(path));
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect(opened.errors).toEqual([]);
        expect(requests).toHaveLength(1);
      });
    });
  },
);
