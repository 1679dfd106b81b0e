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
    // Browsers read a backslash as a slash: this one goes to evil.example.
    ['https://evil.example\\@app.example/cb', false],
    ['https://app.example\\cb', false],
    ['https://evil.example@app.example/cb', false],
    ['https://@app.example/cb', false],
    ['https://:@app.example/cb', false],
    ['https://app.example:443@evil.example/cb', false],
    ['https://app.exa\tmple/cb', false],
    ['https://app.example/c\nb', false],
    ['https://app.example/ cb', false],
    ['https://app.example/cb\u0000', false],
    ['https://аpp.example/cb', false],
    ['https://app.example/cb?next=a@b', true],
    ['https://app.example/@user/cb', true],
  ])('%s → %s', (uri, ok) => {
    expect(isAcceptableRedirectUri(uri)).toBe(ok);
  });

  it('adds response parameters to an existing query', () => {
    expect(withParams('https://a.example/cb?x=1', { code: 'c d', state: undefined })).toBe(
      'https://a.example/cb?x=1&code=c+d',
    );
  });
});
