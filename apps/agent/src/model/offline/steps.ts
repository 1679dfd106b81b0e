import { CALCULATOR_TOOL } from '../../tools/calculator.js';
import { CLOCK_TOOL } from '../../tools/clock.js';
import { MAX_EXPRESSION_LENGTH } from '../../tools/expression.js';
import { KNOWLEDGE_SEARCH_TOOL } from '../../tools/knowledge-search.js';
import { WEB_SEARCH_TOOL } from '../../tools/web-search.js';
import {
  betweenSentence,
  calculationSentence,
  clockResult,
  clockSentence,
  docsSentence,
  type Outcome,
  toolError,
  webSentence,
} from './answers.js';
import { lastOccurrence, nextOccurrence, parseIso } from './calendar.js';
import { type DateRequest, type DateTarget, needsToday } from './dates.js';
import { type CalcTemplate, flatten, refsOf, renderExpression } from './pieces.js';
import { type EarlierResult, ordinalWord, type Ref } from './results.js';

/**
 * The tool calls a request needs, as steps: each knows its tool, which earlier steps' results it
 * needs ("divide that by 7" needs the calculation before it), how to build its arguments from those
 * results, and how to say its own result.
 */

export type Args = Record<string, unknown>;
export type Outcomes = readonly (Outcome | undefined)[];

export interface Step {
  tool: string;
  /** Indexes of the steps (of the same plan) whose results this one needs. */
  needs: readonly number[];
  /** The call's arguments, or a problem to tell the user instead of calling. */
  args(outcomes: Outcomes): Args | { problem: string };
  /** The sentence for the call's outcome; empty when it only served another step. */
  say(outcome: Outcome, args: Args, outcomes: Outcomes): string;
}

const NUMERIC = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;

function missingResult(ref: Ref, known: number): string {
  if (known === 0) return 'I have no earlier result in this conversation to work with yet.';
  if (ref.kind === 'nth' && ref.n > 0)
    return `There is no ${ordinalWord(ref.n)} result yet: this conversation has ${known} so far.`;
  return 'There is no such earlier result in this conversation.';
}

/**
 * A calculation. References count over the conversation's results followed by the results of the
 * calculations earlier in this request (`earlier`, their step indexes), so "then divide by 7"
 * divides what the step before produced.
 */
export function calculationStep(
  template: CalcTemplate,
  conversation: readonly EarlierResult[],
  earlier: readonly number[],
): Step {
  const total = conversation.length + earlier.length;
  const indexOf = (ref: Ref) =>
    ref.kind === 'latest'
      ? total - 1
      : ref.kind === 'nth'
        ? ref.n > 0
          ? ref.n - 1
          : total + ref.n
        : total - 1 + ref.offset;
  const refs = [...refsOf(template.expression), ...refsOf(template.label ?? [])];
  const needs = [
    ...new Set(
      refs
        .map(indexOf)
        .filter((i) => i >= conversation.length && i < total)
        .map((i) => earlier[i - conversation.length]!),
    ),
  ];
  const resolver = (outcomes: Outcomes) => (ref: Ref) => {
    const i = indexOf(ref);
    if (i < 0) return undefined;
    if (i < conversation.length) return conversation[i]!.value;
    const outcome = outcomes[earlier[i - conversation.length] ?? -1];
    const value = outcome?.ok ? outcome.text.trim() : undefined;
    return value !== undefined && NUMERIC.test(value) ? value : undefined;
  };
  return {
    tool: CALCULATOR_TOOL,
    needs,
    args(outcomes) {
      const resolve = resolver(outcomes);
      const expression = renderExpression(template.expression, resolve);
      if (expression === undefined) {
        const ref = refs.find((r) => resolve(r) === undefined)!;
        return { problem: missingResult(ref, conversation.length) };
      }
      if (expression.length > MAX_EXPRESSION_LENGTH)
        return {
          problem: `That calculation is longer than the ${MAX_EXPRESSION_LENGTH} characters my calculator takes.`,
        };
      return { expression };
    },
    say(outcome, args, outcomes) {
      const label = template.label ? flatten(template.label, resolver(outcomes)) : undefined;
      return calculationSentence(outcome, String(args.expression), label, needs.length > 0, template.unit);
    },
  };
}

const zoneOf = (req: { timezone?: string }) => (req.timezone ? { timezone: req.timezone } : {});

/** Today, as the clock's "now" answer says. */
function todayFrom(outcome: Outcome | undefined) {
  const r = outcome?.ok ? clockResult(outcome.text) : undefined;
  const date =
    typeof r?.date === 'string' ? r.date : typeof r?.iso === 'string' ? r.iso.slice(0, 10) : undefined;
  return date ? parseIso(date) : undefined;
}

/** The ISO date of `target`: as written, or its next occurrence after the day `now` (a step) read. */
function targetDate(
  target: DateTarget,
  now: number,
  outcomes: Outcomes,
  past = false,
): string | { problem: string } {
  if (!needsToday(target)) return target.iso;
  const today = todayFrom(outcomes[now]);
  if (!today) return { problem: 'I could not read today’s date from the clock.' };
  return (past ? lastOccurrence : nextOccurrence)(today, target.month, target.day);
}

/**
 * The clock calls for a date request, numbered from `first` (the index the first one will have in
 * the plan). A date without a year takes two: today first, then the question about its next occurrence.
 */
export function clockSteps(req: Exclude<DateRequest, { kind: 'problem' }>, first: number): Step[] {
  const sayNow = (outcome: Outcome) =>
    outcome.ok ? '' : `I could not read the clock: ${toolError(outcome.text)}.`;
  if (req.kind === 'now')
    return [{ tool: CLOCK_TOOL, needs: [], args: () => zoneOf(req), say: (o) => clockSentence(req, o) }];
  if (req.kind === 'between') return betweenSteps(req, first, sayNow);
  const target = req.kind === 'offset' ? req.base : req.target;
  const name = target?.name;
  const today = target && needsToday(target);
  const steps: Step[] = today ? [{ tool: CLOCK_TOOL, needs: [], args: () => zoneOf(req), say: sayNow }] : [];
  const now = first;
  // "since New Year": the last one; every other day of the year without a year: the next one.
  const past = req.kind === 'until' && req.since;
  const date = (outcomes: Outcomes) => (target ? targetDate(target, now, outcomes, past) : undefined);
  const withDate = (build: (date: string | undefined) => Args) => (outcomes: Outcomes) => {
    const d = date(outcomes);
    return typeof d === 'object' ? d : build(d);
  };
  const args =
    req.kind === 'offset'
      ? withDate((d) => ({
          operation: 'add_days',
          days: req.days,
          ...(d ? { date: d } : {}),
          ...zoneOf(req),
        }))
      : req.kind === 'until'
        ? withDate((d) => ({ operation: 'days_until', date: d, ...zoneOf(req) }))
        : withDate((d) => ({ operation: 'weekday', date: d }));
  steps.push({ tool: CLOCK_TOOL, needs: today ? [now] : [], args, say: (o) => clockSentence(req, o, name) });
  return steps;
}

/** Two dates' distances from today (after today itself when one has no year), then their difference. */
function betweenSteps(
  req: Extract<DateRequest, { kind: 'between' }>,
  first: number,
  sayNow: (o: Outcome) => string,
): Step[] {
  const today = needsToday(req.first) || needsToday(req.second);
  const steps: Step[] = today ? [{ tool: CLOCK_TOOL, needs: [], args: () => zoneOf(req), say: sayNow }] : [];
  const from = first + steps.length;
  const until = (target: DateTarget) => (outcomes: Outcomes) => {
    const d = targetDate(target, first, outcomes);
    return typeof d === 'object' ? d : { operation: 'days_until', date: d, ...zoneOf(req) };
  };
  const needs = today ? [first] : [];
  const sayFailure = (o: Outcome) =>
    o.ok ? '' : `I could not work that out with the clock: ${toolError(o.text)}.`;
  steps.push({ tool: CLOCK_TOOL, needs, args: until(req.first), say: sayFailure });
  steps.push({
    tool: CLOCK_TOOL,
    needs,
    args: until(req.second),
    say: (o, _args, outcomes) => (outcomes[from]?.ok ? betweenSentence(outcomes[from]!, o) : ''),
  });
  return steps;
}

/** A docs search for `query`; `guessed` searches end with how to get a real model when nothing is found. */
export function docsStep(query: string, guessed: boolean, suggestion: string): Step {
  return {
    tool: KNOWLEDGE_SEARCH_TOOL,
    needs: [],
    args: () => ({ query }),
    say: (o) => docsSentence(query, o, guessed, suggestion),
  };
}

/** A web search for `query`. */
export function webStep(query: string): Step {
  return { tool: WEB_SEARCH_TOOL, needs: [], args: () => ({ query }), say: (o) => webSentence(query, o) };
}
