import { agentConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { runService } from '@mcp-langgraph/observability';
import { createAgentService } from './service.js';

runService('agent', async () => {
  const config = await loadServiceConfig(agentConfigSchema, process.env);
  const service = await createAgentService(config);
  return { service, logger: service.logger, port: config.AGENT_PORT, host: config.BIND_HOST };
});
