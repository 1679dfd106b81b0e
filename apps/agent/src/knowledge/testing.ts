import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

/**
 * A chat model for tests that asks `knowledge_search` for the user's message once, then answers
 * `See <first hit's source>.` (or `See nothing.`), as a hosted model following the tool's
 * description would.
 */
export class SearchingModel extends BaseChatModel {
  constructor(private readonly limit = 2) {
    super({});
  }
  _llmType() {
    return 'searching-test-model';
  }
  override bindTools() {
    return this;
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const last = messages.at(-1)!;
    const message =
      last instanceof ToolMessage || last.getType() === 'tool'
        ? new AIMessage(`See ${JSON.parse(last.text).hits[0]?.source ?? 'nothing'}.`)
        : new AIMessage({
            content: '',
            tool_calls: [
              {
                id: `call_${messages.length}`,
                name: 'knowledge_search',
                args: { query: last.text, limit: this.limit },
              },
            ],
          });
    return { generations: [{ message, text: message.text }] };
  }
}
