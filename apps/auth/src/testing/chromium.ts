import { existsSync } from 'node:fs';
import { describeWhenAvailable } from '@mcp-langgraph/testing';

/** Debian's Chromium; CI installs it (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags a headless browser in a test sandbox needs: no sandbox, GPU, or traffic of its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * `describe` for tests that drive a real browser. Without Chromium: a loud failure under CI=true
 * (CI must install it), a skip with the reason printed everywhere else; as
 * `@mcp-langgraph/db/testing` does for PostgreSQL and Redis.
 */
export function describeWithChromium(name: string, fn: () => void): void {
  describeWhenAvailable(name, fn, {
    missing: existsSync(CHROMIUM_PATH) ? undefined : `Chromium is not installed at ${CHROMIUM_PATH}`,
    need: 'Chromium',
    ciHint: 'CI must install it (apt-get install -y chromium)',
  });
}
