/**
 * Object and subject ids of the authorization model (`packages/authz/model.fga`), written one way
 * everywhere: `tool:<name>`, `conversation:<thread id>`, `user:<sub>` / `client:<sub>`.
 */
export const toolObject = (name: string) => `tool:${name}`;

export const CONVERSATION_TYPE = 'conversation';
export const conversationObject = (threadId: string) => `${CONVERSATION_TYPE}:${threadId}`;

/** The thread id in a `conversation:<id>` object, or undefined for another type. */
export function threadIdOf(object: string): string | undefined {
  const prefix = `${CONVERSATION_TYPE}:`;
  return object.startsWith(prefix) ? object.slice(prefix.length) : undefined;
}

/** A token's subject as the authorization model names it. */
export const subjectOf = (subType: 'user' | 'client', sub: string) => `${subType}:${sub}`;
