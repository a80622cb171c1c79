import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

describe('README quick start', () => {
  it('is this file, verbatim, and under 30 lines of code', () => {
    const readme = readFileSync(`${here}../../README.md`, 'utf8');
    const code = readFileSync(`${here}main.ts`, 'utf8');
    expect(readme).toContain(code.trim());
    const lines = code.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('//'));
    expect(lines.length).toBeLessThan(30);
  });

  it('runs and delivers three hours of 1m bars and their aggregates', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', `${here}main.ts`], { encoding: 'utf8' });
    // 3 hours of closed 1m bars = 180; 5m = 36; 1H = 3 (the generated market has no gaps by default).
    expect(out).toContain("'BTCUSD 1m': 180");
    expect(out).toContain("'BTCUSD 5m': 36");
    expect(out).toContain("'BTCUSD 1H': 3");
    expect(out).toContain('data_status: 1');
  });
});
