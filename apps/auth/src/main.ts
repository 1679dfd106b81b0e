import { authConfigSchema, loadLiveServiceConfig } from '@mcp-langgraph/config';
import { runLiveService } from '@mcp-langgraph/observability';
import { createAuthService } from './service.js';

// Secrets follow the secret manager while the service runs (docs/SECRET_ROTATION.md).
runLiveService(
  'auth',
  () => loadLiveServiceConfig(authConfigSchema, process.env),
  (config, live) => createAuthService(config, { live }),
);
