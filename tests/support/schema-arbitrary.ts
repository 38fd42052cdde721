// fast-check arbitraries drawn from an endpoint's JSON Schema (as the OpenAPI document gives it), with hostile
// values mixed in at any leaf: numbers past the database's range, NaN, NUL bytes, a 1 MB string, wrong types.
import fc from 'fast-check';

type Schema = Record<string, any>;

export const HOSTILE_SCALARS: unknown[] = [
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  -1,
  0,
  1e308,
  -0.5,
  'NaN',
  'Infinity',
  '\u0000',
  'a\u0000b',
  "'; DROP TABLE cases; --",
  '../../etc/passwd',
  '\ud800',
  '😀'.repeat(50),
  '',
  ' ',
  null,
  true,
  {},
  [],
  [null],
  { $gt: 1 },
  '2099-13-45',
  '1970-01-01T00:00:00Z',
];

/** A string of about a megabyte, drawn rarely (it is slow to send). */
const HUGE = fc.constant('字'.repeat(350_000));

export const hostile = (): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: fc.constantFrom(...HOSTILE_SCALARS), weight: 20 }, { arbitrary: HUGE, weight: 1 });

function resolve(s: Schema, root: Schema): Schema {
  if (s && typeof s.$ref === 'string') {
    const name = s.$ref.split('/').pop()!;
    return root.components?.schemas?.[name] ?? {};
  }
  return s ?? {};
}

/** A value the schema accepts (mostly), or, with probability `hostileWeight`, a hostile one at this node. */
export function fromSchema(schema: Schema, root: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, root);
  const valid = validFrom(s, root, depth);
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: hostile(), weight: 1 });
}

function validFrom(s: Schema, root: Schema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (Array.isArray(alts) && alts.length) return fc.oneof(...alts.map((a: Schema) => fromSchema(a, root, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length) return fromSchema(s.allOf[0], root, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -1000, -(2 ** 31)), max: Math.min(s.maximum ?? 100_000, 2 ** 31 - 1) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (s.format === 'date') return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (s.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) });
    case 'array':
      return fc.array(fromSchema(s.items ?? {}, root, depth + 1), { maxLength: Math.min(s.maxItems ?? 4, 4) });
    case 'object': {
      const props: Record<string, Schema> = s.properties ?? {};
      const required = new Set<string>(s.required ?? []);
      const entries = Object.entries(props);
      if (!entries.length) return fc.dictionary(fc.string({ maxLength: 8 }), hostile(), { maxKeys: 3 });
      return fc.record(Object.fromEntries(entries.map(([k, v]) => [k, fromSchema(v, root, depth + 1)])), {
        requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)),
      });
    }
    case 'null':
      return fc.constant(null);
    default:
      return hostile();
  }
}

/** A query string (or path value) from a generated value: objects and arrays become text like a careless client sends. */
export function asParam(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
