import { isAcceptableRedirectUri, withParams } from './redirect-uris.js';

describe('redirect URIs', () => {
  it.each([
    ['https://app.example/cb', true],
    ['http://127.0.0.1:1234/cb', true],
    ['http://localhost/cb', true],
    ['http://[::1]:8080/cb', true],
    ['http://app.example/cb', false],
    ['http://127.0.0.1.evil.example/cb', false],
    ['https://user:pw@app.example/cb', false],
    ['https://app.example/cb#frag', false],
    ['ftp://app.example/cb', false],
    ['/relative', false],
  ])('%s → %s', (uri, ok) => {
    expect(isAcceptableRedirectUri(uri)).toBe(ok);
  });

  it('adds response parameters to an existing query', () => {
    expect(withParams('https://a.example/cb?x=1', { code: 'c d', state: undefined })).toBe(
      'https://a.example/cb?x=1&code=c+d',
    );
  });
});
