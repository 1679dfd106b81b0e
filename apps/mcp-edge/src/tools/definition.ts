import type { StandardSchemaWithJSON, ToolAnnotations } from '@modelcontextprotocol/server';
import { withCachedJsonSchema } from './schema.js';
import type { ToolCall, ToolDeps, ToolOutcome, ToolSpec } from './tool-call-gate.js';

/**
 * One MCP tool, whole: what clients see in `tools/list`, the scopes it needs, and what it does
 * once the tool-call gate has let the call through. The name is written here only; the server,
 * the gate and the authorization seed all read it from the registry (`tools/index.ts`).
 */
export interface ToolDefinition<I extends StandardSchemaWithJSON = StandardSchemaWithJSON> extends ToolSpec {
  title: string;
  description: string;
  input: I;
  output: StandardSchemaWithJSON;
  annotations: ToolAnnotations;
  /**
   * The tool's work for an authorized, admitted caller; a thrown error becomes a tool error result.
   * A tool that needs its user's answer first returns an input-required result (see `confirm.ts`).
   */
  run(args: StandardSchemaWithJSON.InferOutput<I>, call: ToolCall, deps: ToolDeps): Promise<ToolOutcome>;
}

/**
 * Declares a tool. Its schemas are converted to JSON Schema once here, not on every `tools/list`
 * of the per-request servers.
 */
export function defineTool<I extends StandardSchemaWithJSON>(tool: ToolDefinition<I>): ToolDefinition<I> {
  return { ...tool, input: withCachedJsonSchema(tool.input), output: withCachedJsonSchema(tool.output) };
}
