import { agentConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { runService, startTracing, tracingOptions } from '@mcp-langgraph/observability';
import { createAgentService } from './service.js';

runService('agent', async () => {
  const config = await loadServiceConfig(agentConfigSchema, process.env);
  // Tracing first: the instrumentations must be in place before the app and its clients exist.
  const tracing = startTracing(tracingOptions('agent', config));
  return { ...(await createAgentService(config)), tracing };
});
