import fc from 'fast-check';
import { z } from 'zod';
import type { AnyProcedure } from '@trpc/server';
import { appRouter } from '@/server/routers';

/**
 * Inputs for the fuzz suite (hostile-input.int.spec.ts), generated from each procedure's own input schemas:
 * a value of the shape the schema describes, where any field may be swapped for a hostile value, an
 * undeclared field may come along, or the whole input may be something else entirely. Most calls are
 * refused; the shaped ones reach past validation into the procedure, which is where 500s hid.
 */

export type Procedure = { path: string; type: 'query' | 'mutation'; schema: JsonSchema | null };

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

/** Every procedure of the API, with its inputs' JSON Schema merged (a command has the envelope's and its own). */
export function apiProcedures(): Procedure[] {
  const procedures = (appRouter._def as unknown as { procedures: Record<string, AnyProcedure> }).procedures;
  return Object.entries(procedures).map(([path, procedure]) => {
    const def = procedure._def as unknown as { type: 'query' | 'mutation'; inputs: z.ZodType[] };
    const schemas = def.inputs.map((input) => z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
    return { path, type: def.type, schema: schemas.length === 0 ? null : mergeObjects(schemas) };
  });
}

function mergeObjects(schemas: JsonSchema[]): JsonSchema {
  if (schemas.length === 1) return schemas[0]!;
  return {
    type: 'object',
    properties: Object.assign({}, ...schemas.map((schema) => schema.properties ?? {})),
    required: schemas.flatMap((schema) => schema.required ?? []),
  };
}

/** Ids that exist in the spec's database, so shaped inputs reach a real product, cart or order. */
export type KnownIds = { productIds: string[]; cartIds: string[]; orderIds: string[]; customerIds: string[] };

/** Text that has broken this kind of code elsewhere: SQL, search syntax, paths, markup, odd Unicode. */
const nastyText = [
  "'; drop table events; --",
  '" or 1=1 --',
  '$1',
  '\\',
  '(((',
  '*:*',
  'name:(a OR b',
  '/[a-z]+/',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '\u202e\u0644\u0627',
  '🛒💥',
  'a\u0301\u0301\u0301',
  ' ',
  '',
  '__proto__',
  'constructor',
];

/** Arrays in arrays, `depth` deep. */
function nested(depth: number): unknown[] {
  return depth === 0 ? [] : [nested(depth - 1)];
}

/** A value no procedure should accept, and none should answer with a 500. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...nastyText),
  fc.string({ unit: 'binary', maxLength: 40 }).map((text) => `${text}\u0000`),
  fc.constantFrom('\ud800', 'a\udc00b', '\udbff\udbff'),
  fc.string({ minLength: 2_001, maxLength: 3_000 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, -1, 0, 0.5, 2 ** 53, -(2 ** 31)),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
  fc.constantFrom(new Map([['a', 1]]), new Set([1, 2]), /re/, new Error('x'), new URL('http://example.test/')),
  fc.constantFrom(null, undefined, true, false),
  fc.constantFrom([], {}, nested(16), { __proto__: { admin: true } }, JSON.parse('{"__proto__":{"admin":true}}')),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.object({ maxDepth: 3, maxKeys: 4 }),
);

/** A value of the schema's shape, any part of which may be hostile instead. */
export function shapedInput(schema: JsonSchema | null, known: KnownIds): fc.Arbitrary<unknown> {
  if (!schema) return fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: hostileValue, weight: 1 });
  const shaped = valueOf(schema, known, '');
  const withExtra = fc
    .tuple(shaped, fc.constantFrom('note', 'role', 'customerId', '__proto__', 'constructor'), hostileValue)
    .map(([value, key, extra]) => (value && typeof value === 'object' && !Array.isArray(value) ? { ...value, [key]: extra } : value));
  return fc.oneof({ arbitrary: shaped, weight: 6 }, { arbitrary: withExtra, weight: 2 }, { arbitrary: hostileValue, weight: 1 });
}

/** A field's value: mostly one the schema allows, a quarter of the time a hostile one. */
function valueOf(schema: JsonSchema, known: KnownIds, name: string): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: wellShaped(schema, known, name), weight: 3 }, { arbitrary: hostileValue, weight: 1 });
}

function wellShaped(schema: JsonSchema, known: KnownIds, name: string): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => wellShaped(alternative, known, name)));
  if (schema.allOf) return wellShaped(mergeObjects(schema.allOf), known, name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return textOf(schema, known, name);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1_000, -(2 ** 31)), max: Math.min(schema.maximum ?? 1_000, 2 ** 31) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? valueOf(schema.items, known, name) : hostileValue, { maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      const record = Object.fromEntries(properties.map(([key, property]) => [key, valueOf(property, known, key)]));
      // A hostile value may be `undefined`, so a required field goes missing now and then too.
      return fc.record(record, { requiredKeys: properties.map(([key]) => key).filter((key) => required.has(key)) });
    }
    default:
      return hostileValue;
  }
}

function textOf(schema: JsonSchema, known: KnownIds, name: string): fc.Arbitrary<string> {
  // An id field is mostly one that exists (product ids are not UUIDs, so this goes by the field's name).
  const pool = !/id$/i.test(name) ? [] : /product/i.test(name) ? known.productIds : /cart/i.test(name) ? known.cartIds : /order/i.test(name) ? known.orderIds : /customer/i.test(name) ? known.customerIds : [];
  const made = madeText(schema);
  return pool.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 3 }, { arbitrary: made, weight: 1 }) : made;
}

function madeText(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date') {
    return fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
  }
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  if (schema.format === 'email') return fc.emailAddress();
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 60, 60);
  const text = fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
  const nasty = nastyText.filter((value) => value.length >= minLength && value.length <= (schema.maxLength ?? Infinity));
  return nasty.length > 0 ? fc.oneof(text, fc.constantFrom(...nasty)) : text;
}
