import { fts5Match, queryPhrases, websearchQuery } from './query-terms.js';
import { documentName, MAX_SECTION_CHARS, splitDocument } from './sections.js';
import { finishSnippet } from './sync.js';

/** Median time of `fn` over a few runs, for ratios within one run (never compared to a constant). */
function medianMs(fn: () => unknown, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

describe('splitting Markdown into sections', () => {
  it('gives each heading its own section with the heading as title', () => {
    const sections = splitDocument(
      'guide.md',
      '# Guide\n\nIntro text.\n\n## Rate limits\n\nKong limits requests.\n\n### Per tier ###\n\nPremium gets more.\n',
    );
    expect(sections).toEqual([
      { title: 'Guide', body: 'Intro text.' },
      { title: 'Rate limits', body: 'Kong limits requests.' },
      { title: 'Per tier', body: 'Premium gets more.' },
    ]);
  });

  it('titles text before the first heading with the file name, and skips headings without text', () => {
    const sections = splitDocument(
      'notes/setup.markdown',
      'Before any heading.\n\n# Empty\n\n## Filled\n\nText.',
    );
    expect(sections).toEqual([
      { title: 'setup', body: 'Before any heading.' },
      { title: 'Filled', body: 'Text.' },
    ]);
  });

  it('keeps "# lines" inside fenced code as code, not headings', () => {
    const sections = splitDocument(
      'run.md',
      '# Run\n\n```sh\n# install first\nnpm install\n```\n\nThen start.',
    );
    expect(sections).toHaveLength(1);
    expect(sections[0]!.body).toBe('# install first\nnpm install\n\nThen start.');
  });

  it('stores plain text: no emphasis, backticks, link targets, HTML tags or table rules', () => {
    const [section] = splitDocument(
      'a.md',
      '# A\n\n> **Bold** and `code` and [a link](https://example.com/x) <br/> end\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n',
    );
    expect(section!.body).toBe('Bold and code and a link   end\n\n| a | b |\n| 1 | 2 |');
    expect(section!.body).not.toMatch(/https|<br|\*\*|---/);
  });

  it('cuts long sections at paragraph and word boundaries', () => {
    const paragraph = 'word '.repeat(200).trim();
    const sections = splitDocument('long.md', `# Long\n\n${Array(10).fill(paragraph).join('\n\n')}`);
    expect(sections.length).toBeGreaterThan(5);
    for (const s of sections) {
      expect(s.title).toBe('Long');
      expect(s.body.length).toBeLessThanOrEqual(MAX_SECTION_CHARS);
      expect(s.body.startsWith('word')).toBe(true);
      expect(s.body.endsWith('word')).toBe(true);
    }
    const unbroken = splitDocument('blob.txt', 'x'.repeat(MAX_SECTION_CHARS * 3 + 5));
    expect(unbroken.map((s) => s.body.length)).toEqual([
      MAX_SECTION_CHARS,
      MAX_SECTION_CHARS,
      MAX_SECTION_CHARS,
      5,
    ]);
  });

  it('splits text files by paragraphs under the file name and drops control characters', () => {
    const sections = splitDocument('ops/runbook.txt', 'First\u0000 line.\r\n\r\nSecond\u0007 paragraph.');
    expect(sections).toEqual([{ title: 'runbook', body: 'First line.\n\nSecond paragraph.' }]);
    expect(documentName('a/b/c.tar.md')).toBe('c.tar');
  });

  it('takes time linear in the input (1x against 8x in one run)', () => {
    // Shapes a backtracking pattern would choke on: long heading runs, unclosed links, tags.
    const unit = `${'#'.repeat(6)}${' '.repeat(300)}x\n[[[[(${'a'.repeat(200)} <div ${'b'.repeat(300)}\n**${'c '.repeat(100)}\n\n`;
    const small = unit.repeat(40);
    const large = unit.repeat(320);
    splitDocument('warm.md', small);
    const ratio = medianMs(() => splitDocument('x.md', large)) / medianMs(() => splitDocument('x.md', small));
    expect(ratio).toBeLessThan(8 * 3);
  });
});

describe('reading a query', () => {
  it('turns each word into a phrase of its letters and digits, dropping stop words and duplicates', () => {
    expect(queryPhrases('What is the rate-limit for AGENT_DOCS_DIR? rate')).toEqual([
      ['rate', 'limit'],
      ['agent', 'docs', 'dir'],
      ['rate'],
    ]);
  });

  it('treats operators, quotes and NUL as separators', () => {
    expect(queryPhrases('"rate" AND NOT (limit) OR NEAR(x y) title:kong * \u0000')).toEqual([
      ['rate'],
      ['limit'],
      ['near', 'x'],
      ['y'],
      ['title', 'kong'],
    ]);
    expect(queryPhrases('" \' * ( ) - : ^ \u0000')).toEqual([]);
  });

  it('builds engine queries only from quoted tokens', () => {
    const phrases = queryPhrases('rate-limit kong');
    expect(fts5Match(phrases)).toBe('"rate limit" OR "kong"');
    expect(websearchQuery(phrases)).toBe('"rate limit" or "kong"');
    expect(fts5Match([])).toBeUndefined();
  });

  it('bounds the work for very long queries', () => {
    expect(queryPhrases('word'.repeat(5000))).toEqual([]);
    const many = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    expect(queryPhrases(many)).toHaveLength(24);
  });
});

describe('snippets', () => {
  it('are one line, bounded, with paired markers', () => {
    expect(finishSnippet('  the **rate**\n\nlimit  ')).toBe('the **rate** limit');
    const long = finishSnippet(`${'word '.repeat(100)}**match** ${'tail '.repeat(100)}`);
    expect(long.length).toBeLessThanOrEqual(320);
    expect(long.endsWith('…')).toBe(true);
    expect(finishSnippet(`${'a '.repeat(155)}**cut off here`).split('**')).toHaveLength(1);
  });
});
