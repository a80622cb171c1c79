import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 24 item 1: importing the package loads only the date-fns functions it uses. A CPU
// profile of the import showed the `date-fns` barrel (every function, ~125 ms) and
// `@date-fns/utc`'s `UTCDate`, whose module builds three `Intl.DateTimeFormat` (~30 ms) for
// formatting the package never does.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');

/** Every module specifier in `from '…'` of the TypeScript files under `src/`, with its file. */
function sourceImports(): { file: string; specifier: string }[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) =>
      [...readFileSync(join(SRC, file), 'utf8').matchAll(/\bfrom\s+'([^']+)'/g)].map((match) => ({
        file: `src/${file}`,
        specifier: match[1] as string,
      })),
    );
}

/** How many `Intl.DateTimeFormat` a fresh Node process builds while it imports `specifier`. */
function dateFormatsBuiltByImport(specifier: string): number {
  const code = [
    'let built = 0;',
    'const DateTimeFormat = Intl.DateTimeFormat;',
    'Intl.DateTimeFormat = function (...args) { built += 1; return new DateTimeFormat(...args); };',
    `import(${JSON.stringify(specifier)}).then(() => console.log(built));`,
  ].join('\n');
  return Number(execFileSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' }).trim());
}

describe('import cost', () => {
  it('takes date-fns, @date-fns/utc and @date-fns/tz functions from their subpaths, never the barrels', () => {
    const dateFns = sourceImports().filter(({ specifier }) => /^(date-fns|@date-fns\/[a-z]+)(\/|$)/.test(specifier));
    expect(dateFns.length).toBeGreaterThan(0);
    const barrels = dateFns.filter(({ specifier }) => /^(date-fns|@date-fns\/[a-z]+)$/.test(specifier));
    expect(barrels).toEqual([]);
  });

  it.each([
    { what: 'the package as Node resolves it (dist/node/)', specifier: 'market-data-pipeline' },
    { what: 'the one-file-per-module build (dist/)', specifier: './dist/index.js' },
  ])('builds no Intl.DateTimeFormat while importing $what (run `npm run build` first)', ({ specifier }) => {
    expect(dateFormatsBuiltByImport(specifier)).toBe(0);
  });

  it('counts the Intl.DateTimeFormat an import builds (so a zero means something)', () => {
    // @date-fns/utc's UTCDate module builds three (en-US weekday, en-US month and day, en-GB time).
    expect(dateFormatsBuiltByImport('@date-fns/utc/date')).toBe(3);
  });
});
