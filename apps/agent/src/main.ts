import { agentConfigSchema, loadLiveServiceConfig } from '@mcp-langgraph/config';
import { runLiveService } from '@mcp-langgraph/observability';
import { createAgentService } from './service.js';

// Secrets follow the secret manager while the service runs (docs/SECRET_ROTATION.md).
runLiveService(
  'agent',
  () => loadLiveServiceConfig(agentConfigSchema, process.env),
  (config, live) => createAgentService(config, { live }),
);
