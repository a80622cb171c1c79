import type { z } from 'zod';
import { ConfigError } from '../errors/config-error.js';
import { DEFAULT_CONFIG, PipelineConfigSchema, type PipelineConfig } from './config.js';
import { describeOption } from '../internal/options.js';

/** Every property optional, recursively; arrays are replaced whole. */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]?: DeepPartial<T[K]> } : T;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function merge(base: unknown, override: unknown, path: PropertyKey[]): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(override) || !isPlainObject(base)) return override;
  // A variant of a discriminated union (e.g. `rateLimit`) replaces another variant whole.
  if ('kind' in override && override['kind'] !== base['kind']) return override;
  // A null-prototype copy: no key written here can reach Object.prototype.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(base)) out[key] = base[key];
  for (const key of Object.keys(override)) {
    if (FORBIDDEN_KEYS.has(key)) {
      throw new ConfigError(`Unexpected key \`${key}\` at \`${[...path, key].join('.')}\``, {
        path: [...path, key],
        value: override[key],
      });
    }
    out[key] = merge(base[key], override[key], [...path, key]);
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cursor: unknown = root;
  for (const key of path) {
    if (typeof cursor !== 'object' || cursor === null) return undefined;
    cursor = (cursor as Record<PropertyKey, unknown>)[key];
  }
  return cursor;
}

/**
 * Refuses a `trades` or `orderBook` symbol that is not among `symbols` (a rule across sections,
 * kept out of `PipelineConfigSchema` so that the exported schema stays a plain object).
 * @throws {@link ConfigError} with the path of the first unknown symbol, e.g. `trades.symbols.0`.
 */
function checkSectionSymbols(config: PipelineConfig): void {
  for (const section of ['trades', 'orderBook'] as const) {
    for (const [i, symbol] of config[section].symbols.entries()) {
      if (!config.symbols.includes(symbol)) {
        const path = [section, 'symbols', i];
        throw new ConfigError(
          `Invalid configuration at \`${path.join('.')}\`: Expected one of the configured \`symbols\`, got \`${describeOption(symbol)}\``,
          { path, value: symbol },
        );
      }
    }
  }
}

/**
 * The full configuration: the specification's defaults ({@link DEFAULT_CONFIG}) with
 * `overrides` merged in depth (objects merge, arrays and scalars replace, an object with
 * another `kind` replaces the default's variant whole), validated once.
 * A `trades` or `orderBook` symbol must be one of `symbols`.
 * Own keys `__proto__`, `constructor` and `prototype` are refused, so overrides parsed from
 * JSON cannot pollute `Object.prototype`.
 *
 * @param overrides - Any subset of the configuration, e.g. `{ validity: { volumeWindow: 50 } }`. Checked at run time
 *   too, so configuration read from JSON may be passed with a cast.
 * @returns A new, validated, deeply frozen configuration; neither argument nor default is mutated.
 * @throws {@link ConfigError} naming the path and the offending value of the first problem.
 *
 * @example
 * ```ts
 * resolveConfig({ gaps: { smallMaxBars: 2 } }).gaps // { smallMaxBars: 2, mediumMaxBars: 10 }
 * resolveConfig({ weights: { completeness: 2 } })   // throws ConfigError: weights …
 * ```
 */
export function resolveConfig(overrides: DeepPartial<PipelineConfig> = {}): PipelineConfig {
  if (overrides !== undefined && !isPlainObject(overrides)) {
    throw new ConfigError(`Expected the configuration to be a plain object, got \`${describeOption(overrides)}\``, {
      path: [],
      value: overrides,
    });
  }
  const merged = merge(DEFAULT_CONFIG, overrides, []);
  const parsed = PipelineConfigSchema.safeParse(merged);
  if (parsed.success) {
    checkSectionSymbols(parsed.data);
    return deepFreeze(parsed.data);
  }
  const first: z.core.$ZodIssue | undefined = parsed.error.issues[0];
  const path = first?.path ?? [];
  const value = valueAt(merged, path);
  throw new ConfigError(
    `Invalid configuration at \`${path.map(String).join('.') || '(root)'}\`: ${first?.message ?? 'invalid'}, got \`${describeOption(value)}\``,
    { path, value, cause: parsed.error },
  );
}
