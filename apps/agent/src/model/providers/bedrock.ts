import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ChatBedrockConverse } from '@langchain/aws';
import type { CommonModelOptions, ProviderEnv } from './settings.js';
import { ModelConfigError, required } from './settings.js';

/**
 * AWS Bedrock's Converse API in `AWS_REGION`. Static credentials come from the configuration
 * (both parts or neither); without them the AWS SDK's default chain applies (instance and task
 * roles, web identity, profiles). The client is built here so `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`
 * may be any URL (LangChain's `endpointHost` is https only) and so it makes one attempt.
 */
export function bedrock(model: string, env: ProviderEnv, o: CommonModelOptions) {
  const spec = { provider: 'bedrock', model } as const;
  const region = required(env, 'AWS_REGION', spec);
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (Boolean(id) !== Boolean(secret))
    throw new ModelConfigError(
      `model "bedrock:${model}" needs ${id ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} with ${id ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'}`,
    );
  const credentials =
    id && secret
      ? {
          accessKeyId: id,
          secretAccessKey: secret,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  const client = new BedrockRuntimeClient({
    region,
    maxAttempts: 1,
    ...(credentials ? { credentials } : {}),
    ...(env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ? { endpoint: env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME } : {}),
  });
  return new ChatBedrockConverse({
    model,
    region,
    client,
    temperature: o.temperature,
    maxTokens: 2048,
    streaming: true,
  });
}
