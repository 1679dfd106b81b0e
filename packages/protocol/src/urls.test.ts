import { isLoopbackHost, normalizeUrl, sameUrl } from './urls.js';

describe('normalizeUrl', () => {
  it.each([
    ['https://auth.example.com/', 'https://auth.example.com'],
    ['https://auth.example.com', 'https://auth.example.com'],
    ['https://edge.example.com/mcp/', 'https://edge.example.com/mcp'],
    ['https://edge.example.com/base//', 'https://edge.example.com/base'],
    ['HTTPS://Auth.Example.COM:443/', 'https://auth.example.com'],
    ['http://localhost:4001/', 'http://localhost:4001'],
    ['http://[::1]:4000/mcp', 'http://[::1]:4000/mcp'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it('throws on what is not a URL', () => {
    expect(() => normalizeUrl('not a url')).toThrow();
  });
});

describe('sameUrl', () => {
  it('matches URLs that differ only in trailing slashes', () => {
    expect(sameUrl('https://edge.example.com/mcp/', 'https://edge.example.com/mcp')).toBe(true);
    expect(sameUrl('https://edge.example.com/', 'https://edge.example.com')).toBe(true);
  });

  it('tells different resources apart and matches nothing unparsable', () => {
    expect(sameUrl('https://edge.example.com/mcp', 'https://edge.example.com')).toBe(false);
    expect(sameUrl('https://edge.example.com/mcp', 'https://evil.example.com/mcp')).toBe(false);
    expect(sameUrl('garbage', 'garbage')).toBe(false);
  });
});

describe('isLoopbackHost', () => {
  it('knows the loopback names, bare and bracketed', () => {
    for (const h of ['127.0.0.1', 'localhost', 'LOCALHOST', '::1', '[::1]'])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', 'example.com', '10.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });
});
