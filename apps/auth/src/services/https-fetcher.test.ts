import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlwaysRefusedAddress, isPrivateAddress } from './address-policy.js';
import { createHttpsFetcher } from './https-fetcher.js';

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl for this run. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cimd-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const words = (s: string) => s.trim().split(/\s+/);

describe('addresses a metadata document may never be fetched from, in any mode', () => {
  // Link-local and cloud metadata addresses, in every spelling.
  it.each(
    words(`169.254.169.254 169.254.0.1 fe80::1 febf::1 fd00:ec2::254
      ::ffff:169.254.169.254 ::ffff:a9fe:a9fe [::ffff:169.254.169.254]`),
  )('%s is refused', (address) => {
    expect(isAlwaysRefusedAddress(address)).toBe(true);
  });
  // Loopback and private networks stay allowed in development.
  it.each(words('127.0.0.1 ::1 10.0.0.1 ::ffff:127.0.0.1 8.8.8.8'))('%s is not', (address) => {
    expect(isAlwaysRefusedAddress(address)).toBe(false);
  });
});

describe('addresses refused outside development', () => {
  it.each(
    words(`:: ::1 ::7f00:1 ::a9fe:a9fe ::ffff:0:0 ::ffff:8.8.8.8 ::ffff:10.0.0.1 ::ffff:a00:1
      ::ffff:127.0.0.1 ::ffff:172.16.0.1 ::ffff:192.168.0.1 ::ffff:100.64.0.1 ::ffff:169.254.169.254
      2002::1 2002:a9fe:a9fe::1 fec0::1 100::1 100::ffff:ffff:ffff:ffff 64:ff9b::a9fe:a9fe
      fd00:ec2::254 fc00::1 ff02::1 2001:db8::1 0.0.0.0 255.255.255.255`),
  )('%s is refused', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(words('100:0:0:1::1 2606:4700:4700::1111 2001:4860:4860::8888 1.1.1.1'))('%s is not', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('the HTTPS document fetch', () => {
  const { key, cert } = selfSignedCertificate();
  let server: Server;
  let base = '';
  /** Bytes of the last trickled answer written before the fetcher hung up. */
  let written = 0;
  let finished = false;
  beforeAll(async () => {
    server = createServer({ key, cert }, (req, res) => {
      written = 0;
      finished = false;
      if (req.url === '/fast.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ a: 'x'.repeat(40) }));
        return;
      }
      // One byte at a time, far apart: a socket idle timeout never fires, a deadline must.
      const large = req.url === '/large.json';
      res.writeHead(200, { 'content-type': 'application/json' });
      const body = large ? 'x'.repeat(400) : `{"a":"${'x'.repeat(54)}"}`;
      const step = large ? 40 : 1;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        if (written >= body.length) {
          clearInterval(timer);
          finished = true;
          return res.end();
        }
        res.write(body.slice(written, written + step));
        written += step;
      }, 100);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const fetcher = (over: Partial<Parameters<typeof createHttpsFetcher>[0]> = {}) =>
    createHttpsFetcher({ allowPrivateAddresses: true, timeoutMs: 5000, maxBytes: 5120, ca: cert, ...over });

  it('reads a document from a server it trusts through the injected CA', async () => {
    const doc = await fetcher()(new URL(`${base}/fast.json`));
    expect(doc.status).toBe(200);
    expect(JSON.parse(doc.body)).toEqual({ a: 'x'.repeat(40) });
  });

  it('does not trust the self-signed server without that CA', async () => {
    await expect(fetcher({ ca: undefined })(new URL(`${base}/fast.json`))).rejects.toThrow();
  });

  it('gives up at the deadline on a server trickling one byte at a time', async () => {
    // The trickle takes 60 steps; a one-second deadline falls after about 10 of them.
    await expect(fetcher({ timeoutMs: 1000 })(new URL(`${base}/slow.json`))).rejects.toThrow(/took too long/);
    expect(finished).toBe(false);
    expect(written).toBeLessThan(45);
  });

  it('stops reading as soon as a streamed body passes the size limit', async () => {
    await expect(fetcher({ maxBytes: 100 })(new URL(`${base}/large.json`))).rejects.toThrow(/too large/);
    expect(finished).toBe(false);
    expect(written).toBeLessThan(400);
  });

  it.each([['169.254.169.254'], ['[fe80::1]'], ['[::ffff:169.254.169.254]'], ['[fd00:ec2::254]']])(
    'never connects to %s, even in development',
    async (host) => {
      const attempts: string[] = [];
      // Refused before any connection: this agent records (and refuses) one if it were made.
      const agent = new Agent();
      agent.createConnection = (options) => {
        attempts.push(String(options.host));
        throw new Error('connection attempted');
      };
      await expect(fetcher({ agent })(new URL(`https://${host}/metadata.json`))).rejects.toThrow(
        /link-local|metadata|private/,
      );
      expect(attempts).toEqual([]);
    },
  );
});
