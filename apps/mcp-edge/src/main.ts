import { edgeConfigSchema, loadLiveServiceConfig } from '@mcp-langgraph/config';
import { createLogger, runLiveService } from '@mcp-langgraph/observability';
import { isLoopbackHost } from '@mcp-langgraph/protocol';
import { createEdgeService } from './service.js';

// Secrets follow the secret manager while the service runs (docs/SECRET_ROTATION.md).
runLiveService(
  'mcp-edge',
  () => loadLiveServiceConfig(edgeConfigSchema, process.env),
  async (config, live) => {
    const logger = createLogger({ service: 'mcp-edge', level: config.LOG_LEVEL });
    const service = await createEdgeService(config, { logger, live });
    if (config.MCP_ALLOWED_HOSTS.length === 0 && !isLoopbackHost(config.BIND_HOST))
      logger.warn(
        { bind: config.BIND_HOST },
        'MCP_ALLOWED_HOSTS is empty on a non-loopback bind: Host headers are not checked',
      );
    return service;
  },
);
