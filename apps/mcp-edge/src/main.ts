import { edgeConfigSchema, loadLiveServiceConfig } from '@mcp-langgraph/config';
import { createLogger, runService, startTracing, tracingOptions } from '@mcp-langgraph/observability';
import { isLoopbackHost } from '@mcp-langgraph/protocol';
import { createEdgeService } from './service.js';

runService('mcp-edge', async () => {
  // Secrets follow the secret manager while the service runs (docs/SECRET_ROTATION.md).
  const live = await loadLiveServiceConfig(edgeConfigSchema, process.env);
  try {
    const config = live.initial;
    // Tracing first: the instrumentations must be in place before the app and its clients exist.
    const tracing = startTracing(tracingOptions('mcp-edge', config));
    const logger = createLogger({ service: 'mcp-edge', level: config.LOG_LEVEL });
    const service = await createEdgeService(config, { logger, live });
    if (config.MCP_ALLOWED_HOSTS.length === 0 && !isLoopbackHost(config.BIND_HOST))
      logger.warn(
        { bind: config.BIND_HOST },
        'MCP_ALLOWED_HOSTS is empty on a non-loopback bind: Host headers are not checked',
      );
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
