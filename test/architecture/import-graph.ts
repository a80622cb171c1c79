/**
 * The checks behind the architecture guard (`imports.test.ts`), as pure functions over file texts,
 * so each rule can be proved able to fail on a tiny synthetic tree (`import-graph.test.ts`).
 *
 * Paths are POSIX paths relative to `src/` (`gaps/fill-gaps.ts`). A file's module is its top-level
 * folder (`gaps`); files directly in `src/` belong to the root, printed `(root)`. `src/internal/` is
 * the module `internal`: helpers shared by two or more modules (STYLE.md habit 1, DESIGN.md §3).
 */
import ts from 'typescript';

/** Each file (relative to `src/`) with the `src/` files it imports, resolved and sorted. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Longest `src/` file, in lines, that needs no stated reason (issue 14). */
export const MAX_LINES = 400;

/** How many lines from the top a file may take to state why it must stay one file. */
export const REASON_WITHIN_LINES = 10;

/** The module a `src/`-relative path belongs to: its top-level folder, or `(root)`. */
export function moduleOf(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? '(root)' : path.slice(0, slash);
}

/**
 * Every module specifier `text` imports: `import`, `import type`, `export … from`, side-effect
 * imports, `import()` calls and `import('…')` types. Specifiers in comments and strings are not imports.
 */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/**
 * The `src/`-relative file a relative specifier names (`./x.js` → `x.ts`, `../a/b.js` → `a/b.ts`),
 * or `undefined` for a package specifier or a path outside the known files.
 */
export function resolveSpecifier(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  const joined = parts.join('/');
  const candidates = [joined.replace(/\.js$/, '.ts'), `${joined}.ts`, `${joined}/index.ts`];
  return candidates.find((c) => files.has(c));
}

/** The import graph of a tree given as `src/`-relative path → text. Imports of packages are left out. */
export function buildImportGraph(sources: ReadonlyMap<string, string>): ImportGraph {
  const files = new Set(sources.keys());
  const graph = new Map<string, string[]>();
  for (const [path, text] of [...sources].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const targets = importSpecifiers(text)
      .map((s) => resolveSpecifier(path, s, files))
      .filter((t): t is string => t !== undefined);
    graph.set(path, [...new Set(targets)].sort());
  }
  return graph;
}

/**
 * Every import cycle, one per strongly connected component (Tarjan), each printed as a shortest
 * cycle through the component's first file: `a.ts → b.ts → a.ts`, followed by the component's
 * size when it holds more files than that cycle.
 */
export function findCycles(graph: ImportGraph): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  // Iterative Tarjan, so a long import chain cannot overflow the call stack.
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: [node: string, next: number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1] as [string, number];
      const [node, next] = frame;
      if (next === 0) {
        index.set(node, index.size);
        low.set(node, index.get(node) as number);
        stack.push(node);
        onStack.add(node);
      }
      const targets = graph.get(node) ?? [];
      if (next < targets.length) {
        frame[1] = next + 1;
        const target = targets[next] as string;
        if (!index.has(target)) work.push([target, 0]);
        else if (onStack.has(target)) low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent[0], Math.min(low.get(parent[0]) as number, low.get(node) as number));
      if (low.get(node) === index.get(node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        const selfLoop = component.length === 1 && (graph.get(node) ?? []).includes(node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components
    .map((component) => {
      const cycle = shortestCycle(graph, component);
      const rest = component.length > cycle.length - 1 ? ` (${component.length} files import each other: ${component.join(', ')})` : '';
      return cycle.join(' → ') + rest;
    })
    .sort();
}

/** A shortest cycle through `component[0]`, staying inside the component (breadth-first search). */
function shortestCycle(graph: ImportGraph, component: readonly string[]): string[] {
  const start = component[0] as string;
  const inside = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const target of graph.get(node) ?? []) {
      if (!inside.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

/** Every import of another module's `internal/` folder, as `a/x.ts → b/internal/y.ts`. */
export function foreignInternalImports(graph: ImportGraph): string[] {
  const hits: string[] = [];
  for (const [from, targets] of graph) {
    for (const target of targets) {
      const [owner, folder] = target.split('/');
      const intoModuleInternal = owner !== 'internal' && folder === 'internal' && target.split('/').length > 2;
      if (intoModuleInternal && moduleOf(from) !== owner) hits.push(`${from} → ${target}`);
    }
  }
  return hits.sort();
}

/**
 * Every file in `src/internal/` that exactly one module imports directly, as
 * `internal/x.ts: only gaps (gaps/fill-gaps.ts)`. Importers inside `src/internal/` itself are
 * not a module and do not count; a file no module imports directly is not reported.
 */
export function singleModuleInternals(graph: ImportGraph): string[] {
  const users = new Map<string, Map<string, string[]>>();
  for (const [from, targets] of graph) {
    const module = moduleOf(from);
    if (module === 'internal') continue;
    for (const target of targets) {
      if (moduleOf(target) !== 'internal') continue;
      const byModule = users.get(target) ?? new Map<string, string[]>();
      byModule.set(module, [...(byModule.get(module) ?? []), from]);
      users.set(target, byModule);
    }
  }
  return [...users]
    .filter(([, byModule]) => byModule.size === 1)
    .map(([file, byModule]) => {
      const [[module, importers]] = [...byModule] as [[string, string[]]];
      return `${file}: only ${module} (${importers.sort().join(', ')})`;
    })
    .sort();
}

/** The number of lines of `text` (a final line break does not start another line). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * Whether a comment starting in the first {@link REASON_WITHIN_LINES} lines says
 * `one file because` (any case) followed by a reason.
 */
export function statesOneFileReason(text: string): boolean {
  const top = text.split('\n').slice(0, REASON_WITHIN_LINES).join('\n');
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, top);
  const comments: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia)
      comments.push(scanner.getTokenText());
  }
  return /one file because[\s:,*/-]*\w/i.test(comments.join('\n'));
}

/** Every file over {@link MAX_LINES} lines without a stated reason, as `pipeline/pipeline.ts: 1664 lines`. */
export function oversizedFiles(sources: ReadonlyMap<string, string>): string[] {
  return [...sources]
    .filter(([, text]) => lineCount(text) > MAX_LINES && !statesOneFileReason(text))
    .map(([path, text]) => `${path}: ${lineCount(text)} lines`)
    .sort();
}
