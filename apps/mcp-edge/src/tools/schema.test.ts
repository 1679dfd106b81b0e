import { z } from 'zod';
import { withCachedJsonSchema } from './schema.js';

describe('withCachedJsonSchema', () => {
  it('converts once, keeps validating with zod, and cannot be altered by a caller', async () => {
    const raw = z.object({ message: z.string().min(1) });
    const convert = jest.spyOn(raw['~standard'].jsonSchema, 'input');
    const schema = withCachedJsonSchema(raw);
    const std = schema['~standard'];
    const a = std.jsonSchema.input({ target: 'draft-2020-12' });
    const b = std.jsonSchema.input({ target: 'draft-2020-12' });
    expect(convert).toHaveBeenCalledTimes(1);
    expect(b).toBe(a);
    expect(a).toMatchObject({ type: 'object', properties: { message: { type: 'string', minLength: 1 } } });
    expect(() => {
      (a as { properties: Record<string, unknown> }).properties.extra = {};
    }).toThrow();
    const bad = await std.validate({ message: '' });
    expect('issues' in bad && bad.issues?.length).toBeTruthy();
    const good = await std.validate({ message: 'hi' });
    expect(good).toEqual({ value: { message: 'hi' } });
  });
});
