import type { BaseMessage } from '@langchain/core/messages';
import { ask, type DocsAnswer, offlineModel, type ToolSet } from './test-conversation.js';

/**
 * Date, docs and other questions through the real offline model, the real clock (pinned to
 * Wednesday, December 2, 2026, 10:00 UTC) and recorded `knowledge_search` answers: what the user
 * says, every tool call the model makes (exact arguments), and its answer.
 */
type Call = [string, Record<string, unknown>];
type Row = [say: string, calls: Call[], answer: string | RegExp, docs?: DocsAnswer];

async function check(set: ToolSet, say: string, calls: Call[], answer: string | RegExp, docs?: DocsAnswer) {
  const messages: BaseMessage[] = [];
  const turn = await ask(offlineModel(set), messages, say, docs);
  expect(turn.calls).toEqual(calls);
  if (typeof answer === 'string') expect(turn.answer).toBe(answer);
  else expect(turn.answer).toMatch(answer);
}

const clock = (args: Record<string, unknown> = {}): Call => ['clock', args];
const docs = (query: string): Call => ['knowledge_search', { query }];

describe('date questions go to the clock', () => {
  it.each<Row>([
    ['what day is it', [clock()], 'Today is Wednesday, December 2, 2026 (UTC).'],
    ["what's the date today?", [clock()], 'Today is Wednesday, December 2, 2026 (UTC).'],
    [
      'what time is it?',
      [clock()],
      'The current time in UTC is Wednesday, December 2, 2026 at 10:00:00 AM UTC (2026-12-02T10:00:00.000Z).',
    ],
    [
      'what time is it in Tokyo',
      [clock({ timezone: 'Asia/Tokyo' })],
      'The current time in Asia/Tokyo is Wednesday, December 2, 2026 at 7:00:00 PM GMT+9 (2026-12-02T10:00:00.000Z).',
    ],
    [
      'what day is it in 3 days',
      [clock({ operation: 'add_days', days: 3 })],
      'In 3 days it will be Saturday, December 5, 2026.',
    ],
    [
      'what date is it 10 days from now',
      [clock({ operation: 'add_days', days: 10 })],
      'In 10 days it will be Saturday, December 12, 2026.',
    ],
    [
      'what was the date 5 days ago',
      [clock({ operation: 'add_days', days: -5 })],
      '5 days ago it was Friday, November 27, 2026.',
    ],
    [
      'what day is tomorrow?',
      [clock({ operation: 'add_days', days: 1 })],
      'Tomorrow is Thursday, December 3, 2026.',
    ],
    [
      'what was the date yesterday',
      [clock({ operation: 'add_days', days: -1 })],
      'Yesterday was Tuesday, December 1, 2026.',
    ],
    [
      'what will the date be in two weeks?',
      [clock({ operation: 'add_days', days: 14 })],
      'In 2 weeks it will be Wednesday, December 16, 2026.',
    ],
    [
      'what date is 30 days after 2026-03-01?',
      [clock({ operation: 'add_days', days: 30, date: '2026-03-01' })],
      '30 days after March 1, 2026 is Tuesday, March 31, 2026.',
    ],
    [
      'what day is it in Tokyo in 3 days?',
      [clock({ operation: 'add_days', days: 3, timezone: 'Asia/Tokyo' })],
      'In 3 days it will be Saturday, December 5, 2026.',
    ],
    [
      'how many days until 2026-12-25',
      [clock({ operation: 'days_until', date: '2026-12-25' })],
      'There are 23 days until Friday, December 25, 2026.',
    ],
    [
      'how many days until Christmas?',
      [clock(), clock({ operation: 'days_until', date: '2026-12-25' })],
      'There are 23 days until Christmas (Friday, December 25, 2026).',
    ],
    [
      'how long until new year',
      [clock(), clock({ operation: 'days_until', date: '2027-01-01' })],
      'There are 30 days until New Year’s Day (Friday, January 1, 2027).',
    ],
    [
      'how many days until July 4?',
      [clock(), clock({ operation: 'days_until', date: '2027-07-04' })],
      'There are 214 days until Sunday, July 4, 2027.',
    ],
    [
      'how many days since 2026-01-01?',
      [clock({ operation: 'days_until', date: '2026-01-01' })],
      'Thursday, January 1, 2026 was 335 days ago.',
    ],
    [
      'what weekday is 2027-01-01',
      [clock({ operation: 'weekday', date: '2027-01-01' })],
      'January 1, 2027 is a Friday.',
    ],
    [
      'what day of the week was July 4, 1976',
      [clock({ operation: 'weekday', date: '1976-07-04' })],
      'July 4, 1976 was a Sunday.',
    ],
    [
      'what day was the 4th of July 1976?',
      [clock({ operation: 'weekday', date: '1976-07-04' })],
      'July 4, 1976 was a Sunday.',
    ],
    [
      'what day is Christmas?',
      [clock(), clock({ operation: 'weekday', date: '2026-12-25' })],
      'Christmas (December 25, 2026) is a Friday.',
    ],
    [
      'is 28/11/2026 a Saturday?',
      [clock({ operation: 'weekday', date: '2026-11-28' })],
      'November 28, 2026 is a Saturday.',
    ],
    [
      'what day is 2026-02-30?',
      [clock({ operation: 'weekday', date: '2026-02-30' })],
      /^I could not work that out with the clock: .*2026-02-30/,
    ],
    [
      'what day was 03/04/2026?',
      [],
      'I cannot tell whether 03/04/2026 means March 4 or April 3: please write the date as YYYY-MM-DD (for example 2026-03-04).',
    ],
    [
      'what is the date 3 months from now?',
      [],
      'I can count days and weeks, not months or years: ask for a number of days, for example "in 60 days".',
    ],
    ['what day is February 30?', [], 'That day does not exist in any year.'],
    ['what day of the week is it?', [clock()], 'Today is Wednesday, December 2, 2026 (UTC).'],
    [
      "what was yesterday's date?",
      [clock({ operation: 'add_days', days: -1 })],
      'Yesterday was Tuesday, December 1, 2026.',
    ],
    [
      'how many days since new year?',
      [clock(), clock({ operation: 'days_until', date: '2026-01-01' })],
      'New Year’s Day (Thursday, January 1, 2026) was 335 days ago.',
    ],
    [
      'What day of the week is 25 December 2026?',
      [clock({ operation: 'weekday', date: '2026-12-25' })],
      'December 25, 2026 is a Friday.',
    ],
    [
      'what is the date next week?',
      [clock({ operation: 'add_days', days: 7 })],
      'In 1 week it will be Wednesday, December 9, 2026.',
    ],
    [
      'how many days between 2026-01-01 and 2026-12-25?',
      [
        clock({ operation: 'days_until', date: '2026-01-01' }),
        clock({ operation: 'days_until', date: '2026-12-25' }),
      ],
      'There are 358 days between Thursday, January 1, 2026 and Friday, December 25, 2026.',
    ],
    [
      'how many weeks until christmas?',
      [clock(), clock({ operation: 'days_until', date: '2026-12-25' })],
      'There are 23 days (3 weeks and 2 days) until Christmas (Friday, December 25, 2026).',
    ],
    [
      'how many days are left in the year?',
      [clock(), clock({ operation: 'days_until', date: '2026-12-31' })],
      'There are 29 days until the end of the year (Thursday, December 31, 2026).',
    ],
  ])('%j', (...row: Row) => check('all', ...row));
});

const RATE_LIMITS: DocsAnswer = {
  hits: [
    {
      source: 'security.md',
      title: 'Rate limits',
      snippet: 'Kong limits each **client** to 60 requests a minute.',
      score: 2.1,
    },
    {
      source: 'operations.md',
      title: 'Gateway',
      snippet: 'The **rate** limiting plugin runs in Kong.',
      score: 0.7,
    },
  ],
};
const SHARING: DocsAnswer = {
  hits: [
    {
      source: 'authorization.md',
      title: 'Sharing a conversation',
      snippet: 'POST /threads/{id}/share with {user, role}.',
      score: 1.5,
    },
  ],
};
const RATE_LIMITS_ANSWER =
  'From the docs on “rate limits”:\n- Rate limits (security.md): Kong limits each **client** to 60 requests a minute.\n' +
  '- Gateway (operations.md): The **rate** limiting plugin runs in Kong.';

describe('docs questions go to knowledge_search', () => {
  it.each<Row>([
    ['what do the docs say about rate limits', [docs('rate limits')], RATE_LIMITS_ANSWER, RATE_LIMITS],
    [
      'What does the documentation say about rate limits?',
      [docs('rate limits')],
      RATE_LIMITS_ANSWER,
      RATE_LIMITS,
    ],
    [
      'search the docs for OpenFGA',
      [docs('OpenFGA')],
      'I found nothing in the docs about “OpenFGA”.',
      { hits: [] },
    ],
    [
      'look up token exchange in the docs',
      [docs('token exchange')],
      'I found nothing in the docs about “token exchange”.',
      { hits: [] },
    ],
    [
      'how do I share a conversation?',
      [docs('share a conversation')],
      'From the docs on “share a conversation”:\n- Sharing a conversation (authorization.md): POST /threads/{id}/share with {user, role}.',
      SHARING,
    ],
    [
      'what is OpenFGA?',
      [docs('OpenFGA')],
      /^I found nothing in the docs about “OpenFGA”\. I’m the embedded offline model\. For open-ended questions set LLM_MODEL/,
      { hits: [] },
    ],
    [
      'what do the docs say about kong?',
      [docs('kong')],
      'I could not search the docs: the index is not ready.',
      { error: 'the index is not ready' },
    ],
    ['what do the docs say?', [], 'What should I look up in the docs?'],
    [
      'search the web for LangGraph checkpointers',
      [['web_search', { query: 'LangGraph checkpointers' }]],
      'From the web on “LangGraph checkpointers”:\n- Persistence (https://langchain-ai.github.io/langgraphjs/concepts/persistence/): Checkpointers save the graph state at every super-step.',
      {
        results: [
          {
            title: 'Persistence',
            url: 'https://langchain-ai.github.io/langgraphjs/concepts/persistence/',
            content: 'Checkpointers save the graph state at every super-step.',
          },
        ],
      },
    ],
    [
      "what's the latest news about OpenFGA?",
      [['web_search', { query: 'OpenFGA' }]],
      'I found nothing on the web about “OpenFGA”.',
      { results: [] },
    ],
    [
      'what is 5 plus 5, and what do the docs say about rate limits',
      [['calculator', { expression: '5 + 5' }], docs('rate limits')],
      `5 + 5 = 10. ${RATE_LIMITS_ANSWER}`,
      RATE_LIMITS,
    ],
  ])('%j', (...row: Row) => check('all', ...row));
});

describe('the model calls only the tools it was given and says what it is', () => {
  const rows: Array<[ToolSet, string, Call[], string | RegExp]> = [
    [
      'no-docs',
      'what do the docs say about rate limits',
      [],
      'I would need the knowledge_search tool to answer that, and it is not available to me right now.',
    ],
    [
      'no-docs',
      'search the web for LangGraph',
      [],
      'I would need the web_search tool to answer that, and it is not available to me right now (web search needs TAVILY_API_KEY).',
    ],
    [
      'none',
      'add 6 to 144',
      [],
      'I would need the calculator tool to answer that, and it is not available to me right now.',
    ],
    [
      'none',
      'what day is it in 3 days',
      [],
      'I would need the clock tool to answer that, and it is not available to me right now.',
    ],
    [
      'calculator-only',
      'what is 2 + 2 and what day is it?',
      [['calculator', { expression: '2 + 2' }]],
      '2 + 2 = 4. For the rest I would need the clock tool, and it is not available to me right now.',
    ],
    [
      'no-docs',
      'how do I share a conversation?',
      [],
      /^I’m the embedded offline model, so I cannot hold a general conversation/,
    ],
    [
      'all',
      'write me a poem about the sea',
      [],
      /^I’m the embedded offline model, so I cannot hold a general conversation.*LLM_MODEL=openai:gpt-4\.1-mini with OPENAI_API_KEY/,
    ],
    [
      'all',
      'hi',
      [],
      /^Hello! I’m the embedded offline model\. I can do arithmetic .*, search the docs .* and search the web/,
    ],
    [
      'calculator-only',
      'hello there!',
      [],
      /^Hello! I’m the embedded offline model\. I can do arithmetic \(for example "add 6 to 144" or "what is 15% of 80"\)\. For/,
    ],
    [
      'all',
      'who are you?',
      [],
      /^I’m the embedded offline model of this agent: deterministic, no network and no model weights\./,
    ],
    ['none', 'what can you do?', [], /No tools are available to me right now/],
    ['all', 'I have 3 cats', [], /^I’m the embedded offline model, so I cannot/],
    ['all', 'is the agent online?', [], /^I’m the embedded offline model, so I cannot/],
    ['all', 'what happened on 2024-01-05?', [], /^I’m the embedded offline model, so I cannot/],
  ];
  it.each(rows)('%s: %j', (...row) => check(...row));
});
