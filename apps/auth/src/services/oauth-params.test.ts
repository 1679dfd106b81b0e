import { AppError } from '@mcp-langgraph/observability';
import { z } from 'zod';
import { optionalParam, readParams, requiredParam } from './oauth-params.js';

const schema = z.object({
  code: requiredParam(8),
  verifier: requiredParam(10, /^[a-z]+$/),
  scope: optionalParam(5),
});

function refusal(body: unknown): { code: string; message: string } {
  try {
    readParams(schema, body);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return { code: (err as AppError).code, message: (err as AppError).message };
  }
  throw new Error('the parameters were accepted');
}

describe('OAuth parameters', () => {
  it('reads present values and leaves absent optional ones undefined', () => {
    expect(readParams(schema, { code: 'abc', verifier: 'xyz', extra: 'ignored' })).toEqual({
      code: 'abc',
      verifier: 'xyz',
    });
    expect(readParams(schema, { code: 'abc', verifier: 'xyz', scope: 'a b' }).scope).toBe('a b');
  });

  it('treats an empty value as absent (RFC 6749 3.1)', () => {
    expect(readParams(schema, { code: 'abc', verifier: 'xyz', scope: '' }).scope).toBeUndefined();
    expect(refusal({ code: '', verifier: 'xyz' })).toEqual({
      code: 'invalid_request',
      message: 'code is required',
    });
  });

  it.each([
    ['missing', { verifier: 'xyz' }, 'code is required'],
    [
      'repeated (a form array)',
      { code: ['a', 'b'], verifier: 'xyz' },
      'code must be given once, as a string',
    ],
    ['not a string (JSON)', { code: 42, verifier: 'xyz' }, 'code must be given once, as a string'],
    ['too long', { code: 'x'.repeat(9), verifier: 'xyz' }, 'code is too long'],
    ['malformed', { code: 'abc', verifier: 'XYZ' }, 'verifier is malformed'],
    ['an optional one too long', { code: 'abc', verifier: 'xyz', scope: 'toolong' }, 'scope is too long'],
  ])('refuses a parameter that is %s, naming it', (_name, body, message) => {
    expect(refusal(body)).toEqual({ code: 'invalid_request', message });
  });

  it('names the first problem in the order the schema lists the parameters', () => {
    expect(refusal({ verifier: 'XYZ' }).message).toBe('code is required');
  });

  it('reads a body that is not an object as one without parameters', () => {
    for (const body of [undefined, null, ['code'], 'code=abc'])
      expect(refusal(body).message).toBe('code is required');
  });
});
