/**
 * `npm run build`'s second step: bundles each entry point (`.` and `./testing`) into one ESM
 * file for Node under `dist/node/`, after `tsc` has emitted `dist/` (one file per module, the
 * declarations and their maps).
 *
 * Why two shapes (issue 24): Node resolves and loads every module file on its own, and the
 * ~240 files of `dist/` cost ~80 ms more CPU at import than one file per entry.
 * Bundlers are the other way round: they drop whole unused files of a `sideEffects: false`
 * package, but keep every top-level call (zod schemas, `simple-statistics`, `eventemitter3`) of
 * a single file they cannot prove pure, so a browser bundle of two functions grew from ~7 kB
 * to ~13 kB gzipped when it was given the bundle. `package.json`'s `exports` therefore send the
 * `module` condition (which bundlers set and Node never does) to `dist/`, and the `default` to
 * `dist/node/`. Both are built from the same sources; the declarations (`dist/*.d.ts`) serve both.
 *
 * The bundle keeps dependencies (zod, date-fns, …) as imports, shares the modules both entries
 * use in one chunk (`dist/node/chunks/`, so a class or a registry is one object whichever entry
 * it came through), keeps function and class names (`keepNames`), and writes source maps
 * whose sources are the files under `src/` (shipped with the package), as `tsc`'s maps are.
 */
import { build } from 'esbuild';

await build({
  entryPoints: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  outdir: 'dist/node',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  packages: 'external',
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  keepNames: true,
  charset: 'utf8',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
