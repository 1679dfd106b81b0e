import { authConfigSchema, loadLiveServiceConfig } from '@mcp-langgraph/config';
import { runService, startTracing, tracingOptions } from '@mcp-langgraph/observability';
import { createAuthService } from './service.js';

runService('auth', async () => {
  // Secrets follow the secret manager while the service runs (docs/SECRET_ROTATION.md).
  const live = await loadLiveServiceConfig(authConfigSchema, process.env);
  try {
    const config = live.initial;
    // Tracing first: the instrumentations must be in place before the app and its clients exist.
    const tracing = startTracing(tracingOptions('auth', config));
    const service = await createAuthService(config, { live });
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
