import { HumanMessage } from '@langchain/core/messages';
import type { RunnableConfig } from '@langchain/core/runnables';
import type { CheckpointTuple } from '@langchain/langgraph-checkpoint';
import { benchGraph, prompt } from '../bench-support.js';
import type { AgentCheckpointSaver } from '../saver.js';
import { bytesOf, message, type OpenSaver, putMessages, rowCounts, throughSerde } from './contract.js';

const root = (thread_id: string): RunnableConfig => ({ configurable: { thread_id, checkpoint_ns: '' } });
const idOf = (config: RunnableConfig) => config.configurable?.checkpoint_id as string;

/** A tuple as bytes: checkpoint, metadata, parent and pending writes, so a comparison misses nothing. */
async function tupleBytes(saver: AgentCheckpointSaver, t: CheckpointTuple | undefined) {
  if (!t) return undefined;
  return bytesOf(saver, {
    checkpoint: t.checkpoint,
    metadata: t.metadata,
    parent: t.parentConfig?.configurable?.checkpoint_id,
    writes: t.pendingWrites,
  });
}

async function listIds(saver: AgentCheckpointSaver, threadId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const t of saver.list(root(threadId))) ids.push(t.checkpoint.id);
  return ids;
}

/** The same cases on every backend the saver runs on. */
export function describeSaverContract(name: string, open: OpenSaver): void {
  describe(`AgentCheckpointSaver on ${name}`, () => {
    let saver: AgentCheckpointSaver;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ saver, close } = await open());
    });
    afterEach(async () => {
      await close();
    });

    it('reads every version of a message list back exactly: appends, replacements, removals, reorderings, blocks, tool calls', async () => {
      const h = message.human('What is 17 * 23?');
      const call = message.toolCall('calculator', {
        expression: '17 * 23',
        nested: { list: [1, 2.5, null] },
      });
      const result = message.toolResult(call.tool_calls![0]!.id!, '391', { raw: 391 });
      const answer = message.ai('17 * 23 = 391.');
      const corrected = message.ai('17 × 23 = 391.');
      corrected.id = answer.id;
      const blocks = message.blocks();
      const lists: unknown[] = [
        [h],
        [h, call],
        [h, call, result],
        [h, call, result, answer],
        [h, call, result, corrected],
        [h, call, corrected],
        [call, h, corrected],
        [call, h, corrected, blocks],
        [call, h, corrected, blocks, blocks, message.system('be brief')],
        [],
        ['not', { a: 'message' }, 3],
        [h, 'mixed'],
        [h, call, result, answer, message.human('and minus 1?')],
      ];
      let config = root('t-round-trip');
      const written: Array<{ id: string; expected: string }> = [];
      for (const list of lists) {
        const saved = await putMessages(saver, config, list);
        config = saved.config;
        written.push({ id: idOf(config), expected: await bytesOf(saver, await throughSerde(saver, list)) });
      }
      // Every version, read after all were written, in any order.
      for (const { id, expected } of [...written].reverse()) {
        const tuple = await saver.getTuple({
          configurable: { thread_id: 't-round-trip', checkpoint_ns: '', checkpoint_id: id },
        });
        expect(await bytesOf(saver, tuple?.checkpoint.channel_values.messages)).toBe(expected);
      }
      const last = await saver.getTuple(root('t-round-trip'));
      const types = ((last?.checkpoint.channel_values.messages ?? []) as Array<{ getType(): string }>).map(
        (m) => m.getType(),
      );
      expect(types).toEqual(['human', 'ai', 'tool', 'ai', 'human']);
    });

    it('reads back a list too long for one statement, written at once and then grown', async () => {
      const long = Array.from({ length: 450 }, (_, i) =>
        i % 2 ? message.ai(`a${i}`) : message.human(`q${i}`),
      );
      let config = (await putMessages(saver, root('t-long'), long)).config;
      const grown = [...long, message.human('one more')];
      config = (await putMessages(saver, config, grown)).config;
      expect(await bytesOf(saver, (await saver.getTuple(config))?.checkpoint.channel_values.messages)).toBe(
        await bytesOf(saver, await throughSerde(saver, grown)),
      );
      expect((await rowCounts(saver, 't-long')).agent_checkpoint_messages).toBe(451);
    });

    it('lands two writers appending to one thread at once, each list exact', async () => {
      const base = [message.human('shared start')];
      const { config } = await putMessages(saver, root('t-race'), base);
      const branches = Array.from({ length: 4 }, (_, i) => [
        ...base,
        message.ai(`branch ${i}`),
        message.human(`more ${i}`),
      ]);
      // Each reads the same log end, so all but one collide on a log position and retry.
      const saved = await Promise.all(branches.map((list) => putMessages(saver, config, list)));
      for (const [i, s] of saved.entries())
        expect(
          await bytesOf(saver, (await saver.getTuple(s.config))?.checkpoint.channel_values.messages),
        ).toBe(await bytesOf(saver, await throughSerde(saver, branches[i])));
    });

    it('logs each message of an append-only conversation once, however many versions name it', async () => {
      let config = root('t-linear');
      const list: unknown[] = [];
      for (let i = 0; i < 60; i++) {
        list.push(i % 2 ? message.ai(`answer ${i}`) : message.human(`question ${i}`));
        config = (await putMessages(saver, config, [...list])).config;
      }
      const counts = await rowCounts(saver, 't-linear');
      // 60 versions of a list growing to 60 messages: 60 logged messages, not 1,830.
      expect(counts.agent_checkpoint_messages).toBe(60);
      expect(counts.agent_checkpoint_values).toBe(60);
    });

    it('keeps lists exact when messages come back from a checkpoint and serialise differently', async () => {
      // A tool result with an undefined artifact serialises that field; the revived message does not.
      let config = root('t-revived');
      const first = [message.human('q'), message.toolResult('c1', '4', undefined)];
      config = (await putMessages(saver, config, first)).config;
      const revived = (await saver.getTuple(config))!.checkpoint.channel_values.messages as unknown[];
      const next = [...revived, message.ai('done')];
      config = (await putMessages(saver, config, next)).config;
      const back = (await saver.getTuple(config))!.checkpoint.channel_values.messages;
      expect(await bytesOf(saver, back)).toBe(await bytesOf(saver, await throughSerde(saver, next)));
    });

    it('prune keeps every run’s last checkpoint, the most recent ones and their data, and drops the rest', async () => {
      const thread = 't-prune';
      let config = root(thread);
      const list: unknown[] = [];
      const lastOfRun: string[] = [];
      const all: string[] = [];
      for (let run = 0; run < 3; run++) {
        for (let step = 0; step < 5; step++) {
          list.push(message.human(`run ${run} step ${step}`));
          // Steps before a run's last show a draft the next step drops: only dropped checkpoints use it.
          const shown = step < 4 ? [...list, message.ai(`draft ${run}.${step}`)] : [...list];
          config = (await putMessages(saver, config, shown, { metadata: { run_id: `run-${run}` } })).config;
          await saver.putWrites(
            config,
            [['messages', [message.ai(`write ${run}.${step}`)]]],
            `task-${run}-${step}`,
          );
          all.push(idOf(config));
        }
        lastOfRun.push(idOf(config));
      }
      // An edit (no run) that drops the first message.
      config = (await putMessages(saver, config, list.slice(1), { metadata: { source: 'update' } })).config;
      all.push(idOf(config));
      const before = new Map<string, string | undefined>();
      for (const id of all)
        before.set(
          id,
          await tupleBytes(
            saver,
            await saver.getTuple({
              configurable: { thread_id: thread, checkpoint_ns: '', checkpoint_id: id },
            }),
          ),
        );
      const rowsBefore = await rowCounts(saver, thread);

      const result = await saver.prune(thread, { retained: 2 });

      const kept = [all.at(-1)!, all.at(-2)!, lastOfRun[1]!, lastOfRun[0]!];
      expect(await listIds(saver, thread)).toEqual(kept);
      for (const id of kept)
        expect(
          await tupleBytes(
            saver,
            await saver.getTuple({
              configurable: { thread_id: thread, checkpoint_ns: '', checkpoint_id: id },
            }),
          ),
        ).toBe(before.get(id));
      const rowsAfter = await rowCounts(saver, thread);
      expect(result.checkpoints).toBe(all.length - kept.length);
      expect(rowsAfter.agent_checkpoints).toBe(kept.length);
      // Writes of dropped checkpoints go; values and messages only dropped checkpoints used go too.
      expect(rowsAfter.agent_checkpoint_writes).toBe(3);
      expect(rowsAfter.agent_checkpoint_values).toBe(kept.length);
      expect(rowsAfter.agent_checkpoint_messages).toBeLessThan(rowsBefore.agent_checkpoint_messages!);
      expect(result.messages).toBe(
        rowsBefore.agent_checkpoint_messages! - rowsAfter.agent_checkpoint_messages!,
      );

      // The thread goes on from its latest checkpoint as before.
      const latest = (await saver.getTuple(root(thread)))!;
      const more = [...(latest.checkpoint.channel_values.messages as unknown[]), message.ai('after prune')];
      const after = (await putMessages(saver, latest.config, more)).config;
      expect(await bytesOf(saver, (await saver.getTuple(after))!.checkpoint.channel_values.messages)).toBe(
        await bytesOf(saver, await throughSerde(saver, more)),
      );
      // A second prune with nothing to drop changes nothing.
      const again = await saver.prune(thread, { retained: 10 });
      expect(again).toEqual({ checkpoints: 0, values: 0, writes: 0, messages: 0 });
    });

    it('prune always keeps the latest checkpoint, even asked to keep none', async () => {
      let config = root('t-latest');
      for (let i = 0; i < 4; i++)
        config = (await putMessages(saver, config, [message.human(`m${i}`)])).config;
      await saver.prune('t-latest', { retained: 0 });
      expect(await listIds(saver, 't-latest')).toEqual([idOf(config)]);
      expect((await saver.getTuple(root('t-latest')))?.checkpoint.id).toBe(idOf(config));
    });

    it('copyThread gives an independent copy', async () => {
      let config = root('t-original');
      const list = [message.human('hello'), message.ai('hi')];
      config = (await putMessages(saver, config, list)).config;
      await saver.putWrites(config, [['messages', [message.human('pending')]]], 'task-1');
      await saver.copyThread('t-original', 't-copy');

      const original = await saver.getTuple(root('t-original'));
      const copy = await saver.getTuple(root('t-copy'));
      expect(copy?.config.configurable?.thread_id).toBe('t-copy');
      expect(await tupleBytes(saver, copy)).toBe(await tupleBytes(saver, original));

      // The copy moves on and the original goes away: neither affects the other.
      const grown = [...list, message.human('only in the copy')];
      await putMessages(saver, copy!.config, grown);
      expect(
        await bytesOf(saver, (await saver.getTuple(root('t-original')))?.checkpoint.channel_values.messages),
      ).toBe(await bytesOf(saver, await throughSerde(saver, list)));
      await saver.deleteThread('t-original');
      expect(await saver.getTuple(root('t-original'))).toBeUndefined();
      expect(
        await bytesOf(saver, (await saver.getTuple(root('t-copy')))?.checkpoint.channel_values.messages),
      ).toBe(await bytesOf(saver, await throughSerde(saver, grown)));
      expect(await listIds(saver, 't-copy')).toHaveLength(2);
    });

    it('deleteThread leaves nothing of the thread and everything of the others', async () => {
      for (const thread of ['t-gone', 't-kept']) {
        const { config } = await putMessages(saver, root(thread), [message.human('x'), message.ai('y')]);
        await saver.putWrites(config, [['messages', [message.ai('z')]]], 'task');
      }
      const kept = await rowCounts(saver, 't-kept');
      await saver.deleteThread('t-gone');
      expect(Object.values(await rowCounts(saver, 't-gone'))).toEqual([0, 0, 0, 0]);
      expect(await rowCounts(saver, 't-kept')).toEqual(kept);
    });

    it('runs the agent graph, forks from an older checkpoint, and keeps both branches intact', async () => {
      const graph = benchGraph(saver);
      const config = { configurable: { thread_id: 't-graph' } };
      await graph.invoke(
        { messages: [new HumanMessage(prompt(0))] },
        { ...config, metadata: { run_id: 'r0' } },
      );
      const afterFirst = (await saver.getTuple(root('t-graph')))!;
      await graph.invoke(
        { messages: [new HumanMessage(prompt(1))] },
        { ...config, metadata: { run_id: 'r1' } },
      );
      const afterSecond = (await saver.getTuple(root('t-graph')))!;
      const secondBytes = await tupleBytes(saver, afterSecond);

      // A new run from the first run's end: its steps count versions up from there again.
      const fork = await graph.invoke(
        { messages: [new HumanMessage(prompt(2))] },
        {
          configurable: { thread_id: 't-graph', checkpoint_id: afterFirst.checkpoint.id },
          metadata: { run_id: 'r2' },
        },
      );
      expect(fork.messages.map((m: { text: string }) => m.text).slice(0, 4)).toEqual(
        (afterFirst.checkpoint.channel_values.messages as Array<{ text: string }>).map((m) => m.text),
      );
      expect(await tupleBytes(saver, await saver.getTuple(afterSecond.config))).toBe(secondBytes);
      const state = await graph.getState(config);
      expect((state.values as { messages: unknown[] }).messages).toHaveLength(fork.messages.length);

      await saver.prune('t-graph', { retained: 1 });
      const runs = new Set<unknown>();
      for await (const t of saver.list(root('t-graph')))
        runs.add((t.metadata as { run_id?: string } | undefined)?.run_id);
      expect(runs).toEqual(new Set(['r0', 'r1', 'r2']));
      expect((await graph.getState(config)).values).toEqual(state.values);
    });
  });
}
