import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
});
