export { anthropicFormat, startFakeAnthropic } from './anthropic.js';
export { bedrockFormat, startFakeBedrock } from './bedrock.js';
export { PROVIDER_CASES, type ProviderCase } from './cases.js';
export { geminiFormat, startFakeGemini } from './gemini.js';
export { mistralFormat, startFakeMistral } from './mistral.js';
export { ollamaFormat, startFakeOllama } from './ollama.js';
export { azureOpenAiFormat, openAiFormat, startFakeAzureOpenAi, startFakeOpenAi } from './openai.js';
export {
  type ChatRequest,
  calculatorScript,
  type Failure,
  type FakeLlm,
  type FakeLlmOptions,
  type FakeTurn,
  type RecordedRequest,
  startFakeLlm,
  type WireFormat,
} from './server.js';
