import { describe, expect, it } from 'vitest';
import { AlertSchema } from '../../src/schemas/index.js';
import { EXAMPLE_DOCUMENTS } from './example-documents.js';

const example = (): Record<string, unknown> => JSON.parse(EXAMPLE_DOCUMENTS.alert) as Record<string, unknown>;

describe('AlertSchema', () => {
  it('parses the specification example verbatim and re-serialises it unchanged', () => {
    const parsed = AlertSchema.parse(JSON.parse(EXAMPLE_DOCUMENTS.alert));
    expect(JSON.stringify(parsed)).toBe(EXAMPLE_DOCUMENTS.alert);
  });

  it('accepts a feed alert that affects a source only', () => {
    const alert = { ...example(), type: 'feed', severity: 'critical', affected: { source: 'exchange_api' }, escalate: true };
    expect(AlertSchema.safeParse(alert).success).toBe(true);
  });

  it('refuses an unknown severity, a string escalate flag and a missing affected block', () => {
    const { affected: _affected, ...noAffected } = example();
    for (const alert of [{ ...example(), severity: 'error' }, { ...example(), escalate: 'false' }, noAffected]) {
      expect(AlertSchema.safeParse(alert).success).toBe(false);
    }
  });
});
