import { useStack } from './stack.js';

/** `npm start` keeps the services up: one that dies is started again, and the restart is announced. */

const stack = useStack({ restart: true });

async function readyAgain(url: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) })).ok) return true;
    } catch {
      // still down
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('a service that dies', () => {
  it('is restarted after a short delay, and the restart is said', async () => {
    const services = stack.services();
    const before = services.pid('agent');
    expect(before).toBeDefined();
    process.kill(before!, 'SIGKILL');
    expect(await readyAgain(services.urls.agent.replace('localhost', '127.0.0.1'), 60_000)).toBe(true);
    expect(services.pid('agent')).not.toBe(before);
    expect(services.output()).toContain('agent exited (SIGKILL); restarting in 1 s');
  }, 90_000);
});
