/**
 * How user text becomes a full-text query, the same way for both engines. The text is never
 * handed to a query parser as it is: it is cut into words at whitespace, each word into its
 * letters and digits (`AGENT_DOCS_DIR` → `agent docs dir`, `rate-limit` → `rate limit`), and each
 * word becomes one quoted phrase. Operators, quotes, parentheses and NUL are separators like any
 * other punctuation, so every input is a valid query or no query at all. Phrases are OR-ed and
 * ranked (BM25 / `ts_rank`), so a section matching more of the words ranks higher.
 */

/** Only the start of a longer text is read; the tool accepts 500 characters. */
const MAX_QUERY_SCAN = 2000;
const MAX_PHRASES = 24;
const MAX_TOKENS_PER_PHRASE = 8;
/** Longer "words" are noise (hashes, base64); PostgreSQL would not index them either. */
const MAX_TOKEN_CHARS = 64;
const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;

/** Words with no search value on their own; PostgreSQL's `english` configuration drops them too. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can do does did for from had has have how i if in into is it its ' +
    'me my no not of on or our should so such than that the their them then there these they this ' +
    'to was we were what when where which who whom why will with would you your'
  ).split(' '),
);

/** Each word of `text` as the lower-cased tokens of one phrase; stop words alone are dropped. */
export function queryPhrases(text: string): string[][] {
  const phrases: string[][] = [];
  const seen = new Set<string>();
  for (const word of text.slice(0, MAX_QUERY_SCAN).split(/\s+/)) {
    const tokens = (word.toLowerCase().match(TOKEN) ?? [])
      .filter((t) => t.length <= MAX_TOKEN_CHARS)
      .slice(0, MAX_TOKENS_PER_PHRASE);
    if (tokens.length === 0) continue;
    if (tokens.length === 1 && STOP_WORDS.has(tokens[0]!)) continue;
    const key = tokens.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    phrases.push(tokens);
    if (phrases.length === MAX_PHRASES) break;
  }
  return phrases;
}

/** An FTS5 string: double quotes around it, any inside doubled (tokens hold none; this is the rule). */
function fts5String(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** The FTS5 MATCH expression for `phrases`: each an FTS5 string, OR-ed; `undefined` when empty. */
export function fts5Match(phrases: readonly string[][]): string | undefined {
  if (phrases.length === 0) return undefined;
  return phrases.map((p) => fts5String(p.join(' '))).join(' OR ');
}

/**
 * The same query in `websearch_to_tsquery` syntax, which never raises on any input: quoted phrases
 * joined by `or`. The tokens are letters and digits only, so no quote can end a phrase early.
 */
export function websearchQuery(phrases: readonly string[][]): string | undefined {
  if (phrases.length === 0) return undefined;
  return phrases.map((p) => `"${p.join(' ')}"`).join(' or ');
}
