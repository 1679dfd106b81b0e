import { authConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { runService } from '@mcp-langgraph/observability';
import { createAuthService } from './service.js';

runService('auth', async () => {
  const config = await loadServiceConfig(authConfigSchema, process.env);
  const service = await createAuthService(config);
  return { service, logger: service.logger, port: config.AUTH_PORT, host: config.BIND_HOST };
});
