import type { GetPromptResult, ServerContext, StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { ArgumentCompleter } from '../completions.js';
import type { ToolDeps } from '../tools/tool-call-gate.js';

/**
 * One MCP prompt, whole: what `prompts/list` shows (its arguments and their descriptions come
 * from `args`), how its arguments complete, and the messages `prompts/get` answers with.
 */
export interface PromptDefinition<A extends StandardSchemaWithJSON = StandardSchemaWithJSON> {
  name: string;
  title: string;
  description: string;
  args: A;
  /** Completers by argument name (`completion/complete` with `ref/prompt`). */
  complete: Readonly<Record<string, ArgumentCompleter>>;
  get(
    args: StandardSchemaWithJSON.InferOutput<A>,
    deps: ToolDeps,
    ctx: ServerContext,
  ): Promise<GetPromptResult>;
}

export const definePrompt = <A extends StandardSchemaWithJSON>(prompt: PromptDefinition<A>) => prompt;
