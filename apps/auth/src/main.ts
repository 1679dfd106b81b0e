import { authConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { runService, startTracing, tracingOptions } from '@mcp-langgraph/observability';
import { createAuthService } from './service.js';

runService('auth', async () => {
  const config = await loadServiceConfig(authConfigSchema, process.env);
  // Tracing first: the instrumentations must be in place before the app and its clients exist.
  const tracing = startTracing(tracingOptions('auth', config));
  return { ...(await createAuthService(config)), tracing };
});
