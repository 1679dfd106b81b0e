import { statSync } from 'node:fs';
import {
  type BaseMessage,
  HumanMessage,
  type ToolMessage,
  ToolMessage as ToolMessageClass,
} from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { createTestSchema, TEST_DATABASE_URL } from '@mcp-langgraph/db/testing';
import { type Kysely, sql } from 'kysely';
import { type Checkpointer, createPostgresCheckpointer, createSqliteCheckpointer } from '../checkpointer.js';
import { createAgentGraph, withAnsweredToolCalls } from '../graph.js';
import { OfflineChatModel } from '../model/offline.js';
import { createTools } from '../tools/index.js';
import { CHECKPOINT_TABLES, type CheckpointDatabase } from './schema.js';

/** Turn `i` of a varied conversation: arithmetic with tool calls, follow-ups, a greeting, the clock. */
export function prompt(i: number): string {
  const a = 3 + ((i * 7) % 97);
  const b = 2 + ((i * 13) % 89);
  switch (i % 4) {
    case 0:
      return `What is ${a} * ${b}?`;
    case 1:
      return `and minus ${b}?`;
    case 2:
      return 'hello, what can you do for me today?';
    default:
      return 'What time is it in Europe/Paris?';
  }
}

export const MAX_ITERATIONS = 6;

export function benchGraph(checkpointer: Checkpointer['saver'] | undefined) {
  const fixed = new Date('2025-01-01T12:00:00Z');
  return createAgentGraph({
    model: new OfflineChatModel(),
    tools: createTools({ now: () => fixed }),
    // A graph without a checkpointer is what the plain baseline compares against.
    checkpointer: checkpointer as Checkpointer['saver'],
    maxIterations: MAX_ITERATIONS,
  });
}

/**
 * The graph's steps as plain function calls: the model with the tools bound, the tools, the model
 * again, until it answers; what the graph does for a turn minus LangGraph and the checkpointer.
 */
export function plainSteps() {
  const fixed = new Date('2025-01-01T12:00:00Z');
  const tools = createTools({ now: () => fixed });
  const model = new OfflineChatModel().bindTools(tools);
  const byName = new Map<string, StructuredToolInterface>(tools.map((t) => [t.name, t]));
  return async (history: readonly BaseMessage[], text: string): Promise<BaseMessage[]> => {
    const messages: BaseMessage[] = [...history, new HumanMessage(text)];
    for (let i = 0; i < MAX_ITERATIONS; i++) {
      const ai = await model.invoke(withAnsweredToolCalls(messages));
      messages.push(ai);
      if (!ai.tool_calls?.length) break;
      for (const call of ai.tool_calls) {
        const tool = byName.get(call.name)!;
        const content = String(await tool.invoke(call.args as never));
        messages.push(
          new ToolMessageClass({ tool_call_id: call.id ?? '', name: call.name, content }) as ToolMessage,
        );
      }
    }
    return messages;
  };
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  checkpointer: Checkpointer;
  /** Bytes the checkpoints take on disk now. */
  bytes(): Promise<number>;
  close(): Promise<void>;
}

export function sqliteBackend(path: string): Backend {
  const checkpointer = createSqliteCheckpointer(path);
  const db = checkpointer.saver.db as Kysely<CheckpointDatabase>;
  const size = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return {
    name: 'sqlite',
    checkpointer,
    async bytes() {
      // What a backup or a quiet service would see: the WAL folded into the file.
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
      return size(path) + size(`${path}-wal`);
    },
    close: () => checkpointer.close(),
  };
}

/** PostgreSQL in a throwaway schema, or undefined when none is reachable. */
export async function postgresBackend(): Promise<Backend | undefined> {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  try {
    schema = await createTestSchema();
  } catch {
    return undefined;
  }
  const checkpointer = await createPostgresCheckpointer(TEST_DATABASE_URL, schema.schema);
  const db = checkpointer.saver.db as Kysely<CheckpointDatabase>;
  return {
    name: 'postgres',
    checkpointer,
    async bytes() {
      let total = 0;
      for (const table of CHECKPOINT_TABLES) {
        const name = `${schema.schema}.${table}`;
        const r = await sql<{ n: string }>`select pg_total_relation_size(${name}::regclass) as n`.execute(db);
        total += Number(r.rows[0]?.n ?? 0);
      }
      return total;
    },
    async close() {
      await checkpointer.close();
      await schema.drop();
    },
  };
}

/** Characters of message text in a conversation, for scale. */
export function textBytes(messages: readonly BaseMessage[]): number {
  return messages.reduce((n, m) => n + Buffer.byteLength(m.text, 'utf8'), 0);
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}
