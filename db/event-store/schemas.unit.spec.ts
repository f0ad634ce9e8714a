import { z } from 'zod';
import { beforeEach, describe, expect, it } from 'vitest';
import { MalformedEventError, UnreadableEventError } from './errors';
import { eventCodec } from './schemas';

/**
 * The codec alone, on a made-up event type with three stored versions: what an append is checked against,
 * and how a stored event of any version is read as the current shape. The integration specs drive the same
 * codec through the store; here every rule has a case of its own.
 */
const v1 = z.strictObject({ name: z.string() });
const v2 = z.strictObject({ name: z.string(), size: z.number() });
const v3 = z.strictObject({ name: z.string(), size: z.number(), colour: z.string() });

// Made in each test, not once for the file, so that each test is seen to run the codec's every line.
const makeCodec = () => eventCodec({
  MugMade: [
    { schema: v1 },
    { schema: v2, upcast: (previous: z.infer<typeof v1>) => ({ ...previous, size: 1 }) },
    { schema: v3, upcast: (previous: z.infer<typeof v2>) => ({ ...previous, colour: 'white' }) },
  ],
  Packed: [{ schema: z.strictObject({ box: z.strictObject({ size: z.number() }) }) }],
  Noted: [{ schema: z.strictObject({ a: z.string(), b: z.string(), c: z.string(), d: z.string(), e: z.string(), f: z.string() }) }],
});
let codec: ReturnType<typeof eventCodec>;
beforeEach(() => {
  codec = makeCodec();
});
const at = { streamId: 'mug-1', streamVersion: 4 };

describe('eventCodec', () => {
  it('stores an append as its type’s current version, once the current schema accepts it', () => {
    expect(codec.encode('MugMade', { name: 'Blue', size: 2, colour: 'blue' })).toBe(3);
    expect(codec.encode('Noted', { a: '', b: '', c: '', d: '', e: '', f: '' })).toBe(1);
  });

  it('refuses to store data of an older version, or of no registered type', () => {
    expect(() => codec.encode('MugMade', { name: 'Blue', size: 2 })).toThrow(MalformedEventError);
    expect(() => codec.encode('MugMade', { name: 'Blue', size: 2 })).toThrow(
      'A MugMade event does not match its schema (colour: Invalid input: expected string, received undefined); nothing was written.',
    );
    expect(() => codec.encode('Unknown', {})).toThrow('A Unknown event does not match its schema (no schema is registered for Unknown)');
    // A name every object inherits is still no registered type.
    expect(() => codec.encode('toString', {})).toThrow('no schema is registered for toString');
  });

  it('says at most five of a refusal’s issues, each at its path; one about the whole value has no path', () => {
    expect(() => codec.encode('Noted', {})).toThrow(
      /\(a: [^;]+; b: [^;]+; c: [^;]+; d: [^;]+; e: [^;)]+\); nothing was written\.$/,
    );
    expect(() => codec.encode('Noted', 'text')).toThrow('(Invalid input: expected object, received string)');
    expect(() => codec.encode('Packed', { box: { size: 'large' } })).toThrow('(box.size: Invalid input: expected number, received string)');
  });

  it('reads a stored event of any version as the current shape, upcasting one version at a time', () => {
    expect(codec.decode('MugMade', 1, { name: 'Blue' }, at)).toEqual({ name: 'Blue', size: 1, colour: 'white' });
    expect(codec.decode('MugMade', 2, { name: 'Blue', size: 2 }, at)).toEqual({ name: 'Blue', size: 2, colour: 'white' });
    const current = { name: 'Blue', size: 2, colour: 'blue' };
    // The current version is handed on as stored: the schema only checked it.
    expect(codec.decode('MugMade', 3, current, at)).toBe(current);
  });

  it('stops at a stored event it cannot read, naming the event and why', () => {
    const unreadable = (type: string, version: number, data: unknown, address: typeof at & { globalPosition?: number } = at) => {
      try {
        codec.decode(type, version, data, address);
      } catch (error) {
        expect(error).toBeInstanceOf(UnreadableEventError);
        return (error as Error).message;
      }
      throw new Error('decoded');
    };
    expect(unreadable('Unknown', 1, {})).toBe('Cannot read the Unknown v1 event at mug-1 version 4: Unknown is not a known event type');
    expect(unreadable('MugMade', 4, {})).toBe('Cannot read the MugMade v4 event at mug-1 version 4: MugMade has no version 4');
    expect(unreadable('MugMade', 0, {})).toBe('Cannot read the MugMade v0 event at mug-1 version 4: MugMade has no version 0');
    expect(unreadable('MugMade', 1, { name: 7 }, { ...at, globalPosition: 12 })).toBe(
      'Cannot read the MugMade v1 event at position 12, mug-1 version 4: name: Invalid input: expected string, received number',
    );
  });

  it('checks stored data against the version it claims, without upcasting it', () => {
    expect(() => codec.check('MugMade', 1, { name: 'Blue' })).not.toThrow();
    expect(() => codec.check('MugMade', 2, { name: 'Blue' })).toThrow('A MugMade event does not match its schema (size: ');
    expect(() => codec.check('MugMade', 4, { name: 'Blue' })).toThrow('(MugMade has no version 4)');
    expect(() => codec.check('Unknown', 1, {})).toThrow('(Unknown has no version 1)');
  });

  it('says the current version of a type, 0 for one not registered', () => {
    expect(codec.currentVersion('MugMade')).toBe(3);
    expect(codec.currentVersion('Noted')).toBe(1);
    expect(codec.currentVersion('Unknown')).toBe(0);
    expect(codec.currentVersion('hasOwnProperty')).toBe(0);
  });
});
