import { agentConfigSchema, loadServiceConfig } from '@mcp-langgraph/config';
import { runService } from '@mcp-langgraph/observability';
import { OfflineChatModel } from '../model/offline.js';
import { createAgentService } from '../service.js';

/**
 * The agent as `main.ts` runs it, configured from the environment, with two test-only settings
 * from the command line that production configuration does not have: a pause before every answer
 * of the offline model (`--model-delay-ms`), so a test can stop the process in the middle of a
 * run, a short run lease (`--lease-ms`), so replicas take over quickly, and the PostgreSQL
 * schema of a test (`--pg-schema`).
 */
const args = process.argv.slice(2);
const numberArg = (name: string): number | undefined => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : undefined;
};

const stringArg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

runService('agent', async () => {
  const config = await loadServiceConfig(agentConfigSchema, process.env);
  if (config.APP_ENV === 'production') throw new Error('the test agent process refuses to run in production');
  return createAgentService(config, {
    models: [new OfflineChatModel({ delayMs: numberArg('--model-delay-ms') ?? 0 })],
    runLeaseMs: numberArg('--lease-ms'),
    pollMs: numberArg('--poll-ms'),
    postgresSchema: stringArg('--pg-schema'),
  });
});
