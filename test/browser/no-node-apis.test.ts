import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// A cheap guard that runs without a browser: the library must run in browsers, so `src/` may not
// use Node's modules or globals (DESIGN.md, STYLE.md). `browser.test.ts` proves it in Chromium.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What is forbidden in `src/`, each with the pattern that finds it in code (comments are blanked first). */
const FORBIDDEN: readonly (readonly [label: string, pattern: RegExp])[] = [
  ["from 'node:", /\bfrom\s*['"]node:/],
  ["import 'node:", /\bimport\s*\(?\s*['"]node:/],
  ['require(', /\brequire\s*\(/],
  ['process.', /\bprocess\s*[.[]/],
  ['Buffer', /\bBuffer\b/],
  ['__dirname', /\b__dirname\b/],
  ['__filename', /\b__filename\b/],
];

/** `text` with every comment replaced by spaces (line breaks kept, so line numbers still hold). */
function withoutComments(fileName: string, text: string): string {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const chars = [...text];
  const blank = (range: ts.CommentRange): void => {
    for (let i = range.pos; i < range.end; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
  };
  const visit = (node: ts.Node): void => {
    ts.getLeadingCommentRanges(text, node.pos)?.forEach(blank);
    ts.getTrailingCommentRanges(text, node.end)?.forEach(blank);
    node.getChildren(source).forEach(visit);
  };
  visit(source);
  return chars.join('');
}

/** Every forbidden use in one file, as `file:line: label: code`. */
function findNodeApis(file: string, text: string): string[] {
  // Parsing is the slow part: only files that match somewhere get their comments blanked.
  if (!FORBIDDEN.some(([, pattern]) => pattern.test(text))) return [];
  const hits: string[] = [];
  withoutComments(file, text)
    .split('\n')
    .forEach((line, i) => {
      for (const [label, pattern] of FORBIDDEN) {
        if (pattern.test(line)) hits.push(`${file}:${i + 1}: ${label}: ${(text.split('\n')[i] ?? '').trim()}`);
      }
    });
  return hits;
}

describe('src/ without Node APIs', () => {
  it('finds no Node module, require, process, Buffer or __dirname in any src/**/*.ts', () => {
    const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .sort();
    // The scan must have something to scan (a wrong path would pass vacuously).
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((f) => findNodeApis(relative(ROOT, join(ROOT, 'src', f)), readFileSync(join(ROOT, 'src', f), 'utf8')));
    expect(hits).toEqual([]);
  });

  it('reports each forbidden use with its file and line, and ignores comments and look-alikes', () => {
    const text = [
      "import { readFileSync } from 'node:fs';",
      '// process.env in a comment, Buffer too',
      'const bytes = new ArrayBuffer(8); // not Buffer',
      '/** The whole process. */',
      "const raw = Buffer.from('x');",
      'const env = process.env.HOME;',
      "const path = require('path');",
      'const here = __dirname;',
      "await import('node:os');",
      'const kind = record.processed;',
    ].join('\n');
    expect(findNodeApis('src/x.ts', text)).toEqual([
      "src/x.ts:1: from 'node:: import { readFileSync } from 'node:fs';",
      "src/x.ts:5: Buffer: const raw = Buffer.from('x');",
      'src/x.ts:6: process.: const env = process.env.HOME;',
      "src/x.ts:7: require(: const path = require('path');",
      'src/x.ts:8: __dirname: const here = __dirname;',
      "src/x.ts:9: import 'node:: await import('node:os');",
    ]);
  });
});
