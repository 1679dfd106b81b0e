import { bindingOf, createFormSigner } from './forms.js';

describe('form tokens', () => {
  let t = 1000;
  const signer = createFormSigner(Buffer.alloc(32, 7), () => t);
  const binding = bindingOf(['client', 'https://a.example/cb', 'state']);

  it('accept the purpose and request they were made for, until they expire', () => {
    const token = signer.sign('login', binding, 60);
    expect(signer.verify('login', binding, token)).toBe(true);
    expect(signer.verify('consent', binding, token)).toBe(false);
    expect(signer.verify('login', bindingOf(['client', 'https://evil.example/cb', 'state']), token)).toBe(
      false,
    );
    expect(createFormSigner(Buffer.alloc(32, 8), () => t).verify('login', binding, token)).toBe(false);
    t += 61;
    expect(signer.verify('login', binding, token)).toBe(false);
  });

  it('refuse malformed values', () => {
    for (const v of [undefined, 42, '', 'a.b', 'a.b.c.d', 'x'.repeat(500), ['a']])
      expect(signer.verify('login', binding, v)).toBe(false);
  });
});
