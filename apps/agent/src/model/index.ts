import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { OfflineChatModel } from './offline.js';

/** Providers the agent can be configured with (`LLM_PROVIDER`). */
export type ModelProvider = 'offline';

/** The chat model for the configured provider. */
export function createChatModel(provider: ModelProvider): BaseChatModel {
  switch (provider) {
    case 'offline':
      return new OfflineChatModel();
  }
}
