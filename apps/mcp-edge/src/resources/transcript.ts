import type { ConversationMessage } from '../conversation.js';

const HEADINGS: Record<ConversationMessage['role'], string> = {
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
  system: 'System',
};

const TITLE_CHARS = 80;

/** A conversation's title as the agent gives it: its first user message, on one line, shortened. */
export function titleOf(messages: readonly ConversationMessage[]): string | undefined {
  const first = messages
    .find((m) => m.role === 'user')
    ?.content.replace(/\s+/g, ' ')
    .trim();
  if (!first) return undefined;
  return first.length > TITLE_CHARS ? `${first.slice(0, TITLE_CHARS - 1)}…` : first;
}

/** Tool calls as `name(args)`, in code spans so their JSON reads as it is. */
function callsOf(m: ConversationMessage): string {
  if (!m.tool_calls?.length) return '';
  const calls = m.tool_calls.map((c) => `\`${c.name}(${JSON.stringify(c.args ?? {})})\``);
  return `\n\nCalls ${calls.join(', ')}`;
}

/**
 * A conversation as a Markdown transcript: a title, then one section per message (who, what they
 * said, the tools the assistant called and what each answered), oldest first.
 */
export function markdownTranscript(threadId: string, messages: readonly ConversationMessage[]): string {
  const title = titleOf(messages) ?? 'Untitled conversation';
  const lines = [`# ${title.replace(/^#+\s*/, '')}`, '', `Conversation \`${threadId}\``];
  if (messages.length === 0) lines.push('', '_No messages yet._');
  for (const m of messages) {
    const who = m.role === 'tool' && m.name ? `${HEADINGS.tool} \`${m.name}\`` : HEADINGS[m.role];
    const text = m.content.trim() || '_(no text)_';
    lines.push('', `## ${who}`, '', `${text}${callsOf(m)}`);
  }
  return `${lines.join('\n')}\n`;
}
