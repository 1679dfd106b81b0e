import { readArithmetic } from './offline/arithmetic.js';
import { clausesOf } from './offline/clauses.js';
import { renderExpression } from './offline/pieces.js';

/**
 * Reading intent out of a user's sentence, deterministically. The offline model uses these to
 * decide what to do; nothing here computes an answer itself. The readers for arithmetic, dates,
 * the docs and earlier results live in `offline/`; these are the small ones and the entry points
 * tests use.
 */

export { asksForDate, asksForTime } from './offline/dates.js';
export { findTimeZone } from './offline/timezones.js';

/**
 * The arithmetic expression in `text`, if it asks for one. A follow-up that starts with an operator
 * ("and times 2?") or refers to "that" is applied to `previousResult` when there is one.
 */
export function findExpression(text: string, previousResult?: string): string | undefined {
  for (const clause of clausesOf(text)) {
    const template = readArithmetic(clause.tokens, previousResult !== undefined);
    if (!template) continue;
    const expression = renderExpression(template.expression, () => previousResult);
    if (expression) return expression;
  }
  return undefined;
}

/**
 * Punctuation and an optional "there" after the greeting word. The punctuation on either side of
 * "there" is one run when "there" is absent, so it is matched once: two adjacent runs of the same
 * characters would be split every possible way before a trailing word fails the match.
 */
const GREETING =
  /^\s*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|greetings)\b[\s!.,]*(?:there[\s!.,]*)?$/i;

/** A greeting with nothing else asked. */
export function isGreeting(text: string): boolean {
  return GREETING.test(text);
}

const IDENTITY_QUESTION =
  /\b(?:(?:who|what)\s+are\s+you|what\s+can\s+you\s+do|what\s+do\s+you\s+do|your\s+name|which\s+model|what\s+model|are\s+you\s+(?:an?\s+)?(?:ai|bot|robot|human|real|llm|language\s+model|chatgpt|gpt)|how\s+do\s+you\s+work|help(?:\s+me)?\s*[?!.]*$)/i;

/** A question about the model itself: "who are you?", "what can you do?", "help". */
export function asksWhoYouAre(text: string): boolean {
  return IDENTITY_QUESTION.test(text);
}
