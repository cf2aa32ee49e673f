import { createHash } from 'node:crypto';

import fc from 'fast-check';
import type { z } from 'zod';

import { assertNever } from '../../shared/assert-never';

// Generators for the fuzz suite: payloads shaped like a request's zod schema, with hostile values
// mixed in at every leaf (so cases get past the outer validation and reach the services), and
// byte-level mutations of real files.

export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%E0%A4%A',
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x","y")',
  '+cmd|"/c calc"!A1',
  '@SUM(1)',
  '\t-1',
  '2026-02-30',
  '2026-13-01 25:61:61',
  '1e300',
  'NaN',
  '-1',
  '0x7fffffff',
  '\uD800',
  '🍊'.repeat(50),
  '赣南脐橙 5斤',
  '__proto__',
  'constructor',
  'null',
  'x'.repeat(5000),
];

export const hostileNumbers = [
  0,
  -0,
  -1,
  1,
  0.5,
  -2.5,
  1e300,
  -1e300,
  2 ** 31,
  2 ** 53,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_SAFE_INTEGER,
  253402300800000, // year 10000
  -62135596800000, // year 1
  1e-300,
];

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...hostileStrings),
  fc.constantFrom<unknown>(...hostileNumbers),
  fc.constantFrom<unknown>(null, true, false, [], {}, [[[]]], { a: { b: { c: {} } } }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, a little deep. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileLeaf },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  getter?: () => z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
};
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Values shaped like `schema`: the right keys and kinds most of the time, a hostile value (wrong
 * kind, out of range, huge, traversal, formula) at any leaf some of the time, and now and then
 * any JSON at all. `strings` feeds plausible strings (known ids, paths of fuzz files).
 */
export function payloadFor(schema: z.ZodType, strings: fc.Arbitrary<string>, depth = 0): fc.Arbitrary<unknown> {
  const shaped = shapedFor(schema, strings, depth);
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: hostileLeaf });
}

function shapedFor(schema: z.ZodType, strings: fc.Arbitrary<string>, depth: number): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const next = (s: z.ZodType) => payloadFor(s, strings, depth + 1);
  if (depth > 6) return hostileLeaf;
  switch (def.type) {
    case 'object': {
      const shape = def.shape ?? {};
      const keys = Object.keys(shape);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const key of keys) record[key] = next(shape[key]!);
      return fc
        .tuple(
          fc.record(record, { requiredKeys: [] }),
          fc.option(fc.dictionary(fc.string({ maxLength: 8 }), hostileLeaf, { maxKeys: 2 }), { freq: 5 }),
        )
        .map(([value, extra]) => (extra === null ? value : { ...extra, ...value }));
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return fc.oneof({ weight: 4, arbitrary: next(def.innerType!) }, { weight: 1, arbitrary: fc.constant(undefined) });
    case 'pipe':
      return next(def.in!);
    case 'lazy':
      return next(def.getter!());
    case 'array':
      return fc.array(next(def.element!), { maxLength: 4 });
    case 'tuple':
      return fc.tuple(...(def.items ?? []).map(next));
    case 'union':
      return fc.oneof(...(def.options ?? []).map(next));
    case 'intersection':
      return fc.oneof(next(def.left!), next(def.right!));
    case 'record':
      return fc.dictionary(fc.oneof(strings, fc.string({ maxLength: 10 })), next(def.valueType!), { maxKeys: 3 });
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { a: 'a' }));
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    case 'string':
      return fc.oneof(
        { weight: 3, arbitrary: strings },
        { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
        { weight: 1, arbitrary: fc.constantFrom(...hostileStrings) },
      );
    case 'number':
    case 'int':
      return fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: -5, max: 100_000 }) },
        { weight: 1, arbitrary: fc.constant(Date.now()) },
        { weight: 2, arbitrary: fc.constantFrom(...hostileNumbers) },
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'void':
    case 'undefined':
      return fc.constant(undefined);
    default:
      return anyJson;
  }
}

/** Bytes that print as their length and hash in a counterexample (not as a million numbers). */
export class FuzzBytes {
  constructor(readonly bytes: Buffer) {}
  [fc.toStringMethod](): string {
    return `FuzzBytes(${this.bytes.length} bytes, sha256 ${createHash('sha256').update(this.bytes).digest('hex').slice(0, 16)})`;
  }
}

/** A byte-level mutation of `base`: flips, cuts, inserts, repeats and overwritten numbers. */
export function mutatedBytes(base: Uint8Array): fc.Arbitrary<FuzzBytes> {
  const at = fc.nat({ max: Math.max(0, base.length - 1) });
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at, value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), at }),
    fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.uint8Array({ maxLength: 64 }) }),
    fc.record({ kind: fc.constant('repeat' as const), at, length: fc.integer({ min: 1, max: 512 }) }),
    fc.record({
      kind: fc.constant('u32' as const),
      at,
      value: fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 0x80000000, 65536),
    }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 6 }).map((mutations) => {
    let bytes = Buffer.from(base);
    for (const m of mutations) {
      const i = Math.min(m.at, Math.max(0, bytes.length - 1));
      switch (m.kind) {
        case 'flip':
          if (bytes.length > 0) bytes[i] = m.value;
          break;
        case 'cut':
          bytes = bytes.subarray(0, i);
          break;
        case 'insert':
          bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(m.bytes), bytes.subarray(i)]);
          break;
        case 'repeat':
          bytes = Buffer.concat([bytes.subarray(0, i + m.length), bytes.subarray(i)]);
          break;
        case 'u32':
          if (i + 4 <= bytes.length) bytes.writeUInt32LE(m.value, i);
          break;
        default:
          assertNever(m, 'mutation');
      }
    }
    return new FuzzBytes(bytes);
  });
}

/** A GLB whose JSON chunk had one value replaced by a hostile one (structure-aware). */
export function mutatedGlbJson(json: unknown, build: (json: unknown) => Uint8Array): fc.Arbitrary<FuzzBytes> {
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, at: (string | number)[]) => {
    if (at.length > 0) paths.push(at);
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, i]));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
  };
  walk(json, []);
  return fc.array(fc.tuple(fc.constantFrom(...paths), anyJson), { minLength: 1, maxLength: 3 }).map((edits) => {
    const copy = structuredClone(json) as Record<string | number, unknown>;
    for (const [at, value] of edits) {
      let node = copy as Record<string | number, unknown>;
      for (const key of at.slice(0, -1)) {
        const child = node[key];
        if (child === null || typeof child !== 'object') break;
        node = child as Record<string | number, unknown>;
      }
      node[at[at.length - 1]!] = value;
    }
    return new FuzzBytes(Buffer.from(build(copy)));
  });
}
