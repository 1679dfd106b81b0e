import { agentConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { runService } from '@mcp-langgraph/observability';
import { createAgentService } from './service.js';

runService('agent', async () => {
  const config = await loadServiceConfig(agentConfigSchema, process.env);
  return createAgentService(config);
});
