import { agentConfigSchema, loadLiveServiceConfig } from '@mcp-langgraph/config';
import { runService, startTracing, tracingOptions } from '@mcp-langgraph/observability';
import { createAgentService } from './service.js';

runService('agent', async () => {
  // Secrets follow the secret manager while the service runs (docs/SECRET_ROTATION.md).
  const live = await loadLiveServiceConfig(agentConfigSchema, process.env);
  try {
    const config = live.initial;
    // Tracing first: the instrumentations must be in place before the app and its clients exist.
    const tracing = startTracing(tracingOptions('agent', config));
    const service = await createAgentService(config, { live });
    return {
      ...service,
      tracing,
      async close() {
        live.close();
        await service.close();
      },
    };
  } catch (err) {
    live.close();
    throw err;
  }
});
