import { describe, expect, it } from 'vitest';

import { resultSchema } from './result';

describe('results on the wire', () => {
  it('accepts a void reply, which JSON carries as {ok: true} without a value', () => {
    const wire = JSON.parse(JSON.stringify({ ok: true, value: undefined })) as unknown;
    expect(resultSchema.safeParse(wire).success).toBe(true);
    expect(resultSchema.safeParse({ ok: true, value: { scenes: [] } }).success).toBe(true);
    expect(resultSchema.safeParse({ ok: false }).success).toBe(false);
  });
});
