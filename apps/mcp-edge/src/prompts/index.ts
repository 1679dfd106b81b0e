import type { McpServer } from '@modelcontextprotocol/server';
import type { Completers } from '../completions.js';
import type { ToolDeps } from '../tools/tool-call-gate.js';
import { askTheDocs } from './ask-the-docs.js';
import { continueConversation, summarizeConversation } from './conversation-prompts.js';
import type { PromptDefinition } from './definition.js';

/** Every prompt the edge serves. A new prompt is its own definition plus one entry here. */
export const PROMPTS: readonly PromptDefinition[] = [summarizeConversation, continueConversation, askTheDocs];

/** The completers of every prompt's arguments, for `completion/complete`. */
export const promptCompleters = (): Completers =>
  Object.fromEntries(PROMPTS.map((p) => [p.name, p.complete]));

/** Registers every prompt; an unknown name in `prompts/get` is the SDK's invalid-params error. */
export function registerPrompts(server: McpServer, deps: ToolDeps): void {
  for (const prompt of PROMPTS)
    server.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema: prompt.args },
      (args, ctx) => prompt.get(args, deps, ctx),
    );
}
