/** Where a task lives: the agent's run on its thread. */
export interface TaskRef {
  threadId: string;
  runId: string;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const TASK_ID = new RegExp(`^(${UUID})\\.(${UUID})$`);

/**
 * The task id is the run's address, `<thread_id>.<run_id>`: any edge replica, or one started
 * after a restart, finds the run from the id alone, with no state of its own. It is not signed:
 * every use goes to the agent with the caller's exchanged token, and the agent answers only a
 * caller holding `viewer` (get) or `editor` (cancel) on the thread, so an id that is guessed,
 * edited or someone else's reads as "not found". The run id is a random UUID, so ids cannot be
 * enumerated either.
 */
export function taskIdOf(ref: TaskRef): string {
  return `${ref.threadId}.${ref.runId}`;
}

/** The run a task id names, or undefined for anything that is not exactly two UUIDs. */
export function parseTaskId(taskId: string): TaskRef | undefined {
  if (taskId.length > 80) return undefined;
  const match = TASK_ID.exec(taskId.toLowerCase());
  return match ? { threadId: match[1] as string, runId: match[2] as string } : undefined;
}
