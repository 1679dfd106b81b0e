import { CALCULATOR_TOOL } from '../../tools/calculator.js';
import { CLOCK_TOOL } from '../../tools/clock.js';
import { KNOWLEDGE_SEARCH_TOOL } from '../../tools/knowledge-search.js';
import { WEB_SEARCH_TOOL } from '../../tools/web-search.js';
import { asksWhoYouAre, isGreeting } from '../intents.js';
import { CONFIGURE, capabilities, IDENTITY } from './answers.js';
import { readArithmetic } from './arithmetic.js';
import { clausesOf } from './clauses.js';
import { impossible, readDateRequest } from './dates.js';
import { guessDocsRequest, readDocsRequest, readWebRequest } from './docs.js';
import { answerRecall, readRecall } from './recall.js';
import type { EarlierResult } from './results.js';
import { calculationStep, clockSteps, docsStep, type Step, webStep } from './steps.js';

/**
 * What a request asks, clause by clause, as a plan: tool steps and sentences that need no tool,
 * in the order asked. The plan is a function of the conversation alone, so the model rebuilds the
 * same plan after every tool result and knows which steps are done.
 */

export type Item = { step: number } | { say: string };

export interface Plan {
  items: Item[];
  steps: Step[];
}

export interface Understanding {
  question: string;
  /** Results of the conversation before this question, oldest first. */
  results: readonly EarlierResult[];
  /** The result the model's last answer talked about ("the first result was …"). */
  cursor?: number;
  tools: ReadonlySet<string>;
}

/** Most steps one request may take; the rest of a longer request is left out, and the answer says so. */
export const MAX_STEPS = 8;

const TOOL_NAMES = {
  calculator: CALCULATOR_TOOL,
  clock: CLOCK_TOOL,
  docs: KNOWLEDGE_SEARCH_TOOL,
  web: WEB_SEARCH_TOOL,
};

/** What the model is and can do, with the tools it has. */
export function whatIAm(tools: ReadonlySet<string>): string {
  return `${capabilities(tools, TOOL_NAMES)} ${CONFIGURE}`;
}

function missingTools(missing: ReadonlySet<string>): string {
  const hint = missing.has(WEB_SEARCH_TOOL) ? ' (web search needs TAVILY_API_KEY)' : '';
  return `I would need the ${[...missing].join(' and ')} tool to answer that, and it is not available to me right now${hint}.`;
}

/** The answer when nothing in the request is something this model can do. */
function fallback(question: string, tools: ReadonlySet<string>): string {
  if (isGreeting(question)) return `Hello! ${IDENTITY}. ${whatIAm(tools)}`;
  if (asksWhoYouAre(question))
    return `${IDENTITY} of this agent: deterministic, no network and no model weights. ${whatIAm(tools)}`;
  return `${IDENTITY}, so I cannot hold a general conversation or answer that kind of question. ${whatIAm(tools)}`;
}

/** The plan for `u.question`. */
export function understand(u: Understanding): Plan {
  const plan: Plan = { items: [], steps: [] };
  const missing = new Set<string>();
  const calculations: number[] = [];
  let truncated = false;
  const add = (tool: string, make: (first: number) => Step[]): void => {
    if (!u.tools.has(tool)) {
      missing.add(tool);
      return;
    }
    const steps = make(plan.steps.length);
    if (plan.steps.length + steps.length > MAX_STEPS) {
      truncated = true;
      return;
    }
    for (const step of steps) {
      plan.items.push({ step: plan.steps.length });
      plan.steps.push(step);
    }
  };
  const say = (text: string) => plan.items.push({ say: text });
  const whoAmI = asksWhoYouAre(u.question);

  for (const clause of clausesOf(u.question)) {
    if (truncated) break;
    const web = readWebRequest(clause);
    if (web) {
      if ('empty' in web) say('What should I search the web for?');
      else add(WEB_SEARCH_TOOL, () => [webStep(web.query)]);
      continue;
    }
    const docs = readDocsRequest(clause);
    if (docs) {
      if ('empty' in docs) say('What should I look up in the docs?');
      else add(KNOWLEDGE_SEARCH_TOOL, () => [docsStep(docs.query, false, '')]);
      continue;
    }
    const date = readDateRequest(clause);
    if (date?.kind === 'problem') {
      say(date.text);
      continue;
    }
    const targets =
      date?.kind === 'weekday' || date?.kind === 'until'
        ? [date.target]
        : date?.kind === 'between'
          ? [date.first, date.second]
          : [];
    if (targets.some(impossible)) {
      say('That day does not exist in any year.');
      continue;
    }
    if (date) {
      add(CLOCK_TOOL, (first) => clockSteps(date, first));
      continue;
    }
    const calc = readArithmetic(clause.tokens, u.results.length + calculations.length > 0);
    if (calc) {
      add(CALCULATOR_TOOL, (first) => {
        calculations.push(first);
        return [calculationStep(calc, u.results, calculations.slice(0, -1))];
      });
      continue;
    }
    const recall = readRecall(clause.tokens);
    if (recall) {
      say(answerRecall(recall, u.results, u.cursor));
      continue;
    }
    if (whoAmI || isGreeting(clause.text)) continue;
    const guess = u.tools.has(KNOWLEDGE_SEARCH_TOOL) ? guessDocsRequest(clause) : undefined;
    if (guess) add(KNOWLEDGE_SEARCH_TOOL, () => [docsStep(guess.query, true, `${IDENTITY}. ${CONFIGURE}`)]);
  }

  if (plan.items.length === 0) {
    say(missing.size > 0 ? missingTools(missing) : fallback(u.question, u.tools));
    return plan;
  }
  if (missing.size > 0)
    say(
      `For the rest I would need the ${[...missing].join(' and ')} tool, and it is not available to me right now.`,
    );
  if (truncated)
    say(
      `I worked through the first ${MAX_STEPS} steps of your request only; please ask for the rest separately.`,
    );
  return plan;
}
