import { describe, expect, it } from 'vitest';

import { ok, resultSchema } from './result';

describe('resultSchema', () => {
  it('accepts the reply to a request that returns nothing, as it arrives over the WebSocket', () => {
    // JSON.stringify drops `value: undefined`: app:report-error's reply is `{"ok":true}` on the wire.
    const wire = JSON.parse(JSON.stringify(ok(undefined))) as unknown;
    expect(wire).toEqual({ ok: true });
    expect(resultSchema.safeParse(wire).success).toBe(true);
    expect(resultSchema.safeParse({ ok: true, value: 3 })).toMatchObject({ success: true, data: { value: 3 } });
    expect(resultSchema.safeParse({ ok: false }).success).toBe(false);
  });
});
