import { authConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { runService } from '@mcp-langgraph/observability';
import { createAuthService } from './service.js';

runService('auth', async () => {
  const config = await loadServiceConfig(authConfigSchema, process.env);
  return createAuthService(config);
});
