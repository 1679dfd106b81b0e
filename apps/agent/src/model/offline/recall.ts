import { allResultsSentence, recallSentence } from './answers.js';
import { isSym, isWord, type Token } from './lexer.js';
import { type EarlierResult, matchRef, type Ref, resolveRef } from './results.js';

/**
 * Questions about earlier results, answered from the conversation without a tool: "what was the
 * first result?", "and the previous one?", "what were the results?". "Previous" and "next" count
 * from the result the model talked about last, so a user can walk back through them.
 */

export type RecallRequest = { kind: 'one'; ref: Ref } | { kind: 'all' };

/** Words a recall question may have around its reference. */
const AROUND = new Set([
  'what',
  "what's",
  'whats',
  'was',
  'were',
  'is',
  'are',
  'and',
  'so',
  'remind',
  'me',
  'of',
  'tell',
  'again',
  'please',
  'say',
  'repeat',
  'show',
  'give',
  'about',
  'how',
  'then',
  'now',
  'ok',
  'okay',
  'once',
  'more',
  'list',
  'all',
  'us',
]);

const isAround = (t: Token) => AROUND.has(t.norm) || isSym(t, ',', "'");

/** The recall question a clause asks, if it asks one and nothing else. */
export function readRecall(tokens: readonly Token[]): RecallRequest | undefined {
  let ref: Ref | undefined;
  let all = false;
  let k = 0;
  while (k < tokens.length) {
    const t = tokens[k]!;
    if (isAround(t)) {
      k++;
      continue;
    }
    if (!ref && !all) {
      // "the results", "all the answers", "my results".
      const plural = isWord(t, 'the', 'my', 'our') ? tokens[k + 1] : t;
      if (isWord(plural, 'results', 'answers', 'calculations')) {
        all = true;
        k += plural === t ? 1 : 2;
        continue;
      }
      const found = matchRef(tokens, k);
      // Bare "that" or "it" is too vague to be a question about results on its own.
      if (found && found.next - k > 1) {
        ref = found.ref;
        k = found.next;
        continue;
      }
    }
    return undefined;
  }
  if (all) return { kind: 'all' };
  return ref ? { kind: 'one', ref } : undefined;
}

/** The answer to a recall question; `cursor` is the result the model's last answer named. */
export function answerRecall(
  request: RecallRequest,
  results: readonly EarlierResult[],
  cursor?: number,
): string {
  if (request.kind === 'all') return allResultsSentence(results);
  if (results.length === 0) return 'There are no results in this conversation yet.';
  const from = cursor !== undefined && cursor < results.length ? cursor : results.length - 1;
  const found = resolveRef(request.ref, results, from);
  if (found) return recallSentence(found.result, found.index);
  const ref = request.ref;
  if (ref.kind === 'relative' && ref.offset < 0)
    return 'There is no result before that one: it was the first.';
  if (ref.kind === 'relative') return 'There is no result after that one: it was the latest.';
  return `There is no such result: this conversation has ${results.length} so far.`;
}
