import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentConfigSchema, parseConfig } from '@mcp-langgraph/config';
import { createLogger, createMetrics } from '@mcp-langgraph/observability';
import { createAgentService } from './service.js';

describe('createAgentService', () => {
  let dir: string;
  const quiet = () => ({
    logger: createLogger({ service: 'agent', level: 'silent' }),
    metrics: createMetrics('agent', { defaultMetrics: false }),
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-service-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stops at a missing API key before it opens any store', async () => {
    const config = parseConfig(agentConfigSchema, { LLM_PROVIDER: 'openai', DATA_DIR: dir });
    await expect(createAgentService(config, quiet())).rejects.toThrow('OPENAI_API_KEY');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps its embedded stores under DATA_DIR and names them in its start-up facts', async () => {
    const config = parseConfig(agentConfigSchema, { DATA_DIR: dir, AGENT_PUBLIC_URL: 'http://agent.test/' });
    const service = await createAgentService(config, quiet());
    try {
      expect(service.info).toEqual({
        audience: 'http://agent.test',
        model: 'offline',
        fallbacks: [],
        store: 'sqlite',
        checkpoints: 'sqlite',
      });
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['agent.db', 'authz.db', 'checkpoints.db']));
    } finally {
      await service.close();
    }
  });

  it('keeps its data owner-only: the folder 0700, every SQLite file 0600, whatever the umask', async () => {
    const data = join(dir, 'data');
    const config = parseConfig(agentConfigSchema, { DATA_DIR: data });
    const previous = process.umask(0o022);
    let service: Awaited<ReturnType<typeof createAgentService>> | undefined;
    try {
      service = await createAgentService(config, quiet());
    } finally {
      process.umask(previous);
    }
    try {
      const mode = (path: string) => statSync(path).mode & 0o777;
      expect(mode(data)).toBe(0o700);
      const files = readdirSync(data);
      expect(files).toEqual(expect.arrayContaining(['agent.db', 'checkpoints.db', 'authz.db']));
      expect(files.filter((f) => mode(join(data, f)) !== 0o600)).toEqual([]);
    } finally {
      await service.close();
    }
    // Files left readable by an older version are tightened when the service opens them again.
    chmodSync(join(data, 'checkpoints.db'), 0o644);
    const again = await createAgentService(config, quiet());
    try {
      expect(statSync(join(data, 'checkpoints.db')).mode & 0o777).toBe(0o600);
    } finally {
      await again.close();
    }
  });
});
