/**
 * Splits a document into the sections a hit points at: Markdown by its ATX headings (`#` to
 * `######`, never inside fenced code), text by paragraphs, and every section cut to at most
 * `MAX_SECTION_CHARS` at paragraph (else word) boundaries. The text is stored as plain text:
 * emphasis, code backticks, link targets, common HTML tags and lines of pure punctuation (rules,
 * table separators, fences) are dropped, so snippets show words and the match markers only.
 * Every step is a single pass or a regular expression without nested repetition: linear in the
 * input.
 */

export interface Section {
  title: string;
  body: string;
}

export const MAX_SECTION_CHARS = 1500;
const MAX_TITLE_CHARS = 200;
/** How far back from the cut a long paragraph looks for a space before cutting mid-word. */
const WORD_BREAK_WINDOW = 200;

const MARKDOWN = /\.(md|markdown)$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const HAS_WORD = /[\p{L}\p{N}]/u;
const IMAGE_OR_LINK = /!?\[([^[\]\n]*)\]\([^()\s]*\)/g;
const AUTOLINK = /<(https?:[^<>\s]*)>/g;
const HTML_TAG =
  /<\/?(?:a|b|i|p|br|hr|em|strong|code|pre|kbd|sub|sup|span|div|img|details|summary|table|thead|tbody|tr|td|th|ul|ol|li|h[1-6])\b[^<>]{0,500}>/gi;
const QUOTE_MARKERS = /^ {0,3}(?:> ?)+/;
// Control characters other than tab and line ends; PostgreSQL text cannot hold NUL at all.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** The file's name without folder and extension: the title of text before any heading. */
export function documentName(source: string): string {
  const base = source.slice(source.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export function splitDocument(source: string, text: string): Section[] {
  const clean = text.replace(CONTROL, '');
  return MARKDOWN.test(source)
    ? splitMarkdown(clean, documentName(source))
    : splitText(clean, documentName(source));
}

function splitText(text: string, title: string): Section[] {
  const lines = text.split(/\r\n|\r|\n/).map((l) => l.trimEnd());
  return chunk(title, lines);
}

function splitMarkdown(text: string, fallbackTitle: string): Section[] {
  const sections: Section[] = [];
  let title = fallbackTitle;
  let lines: string[] = [];
  let fence: string | undefined;
  const flush = () => {
    sections.push(...chunk(title, lines));
    lines = [];
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (fence !== undefined) {
      if (closesFence(line, fence)) fence = undefined;
      else lines.push(line.trimEnd());
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      fence = opening[1];
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      title = plainInline(stripClosingHashes(heading[2] ?? '')).slice(0, MAX_TITLE_CHARS) || fallbackTitle;
      continue;
    }
    lines.push(plainLine(line));
  }
  flush();
  return sections;
}

function closesFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  if (trimmed.length < fence.length) return false;
  const mark = fence[0];
  for (const c of trimmed) if (c !== mark) return false;
  return true;
}

/** `## Title ##` → `Title`, by a backwards scan rather than a backtracking pattern. */
function stripClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  let hashes = end;
  while (hashes > 0 && text[hashes - 1] === '#') hashes--;
  if (hashes < end && (hashes === 0 || text[hashes - 1] === ' ' || text[hashes - 1] === '\t')) end = hashes;
  return text.slice(0, end).trim();
}

function plainInline(text: string): string {
  return text
    .replace(IMAGE_OR_LINK, '$1')
    .replace(AUTOLINK, '$1')
    .replace(HTML_TAG, ' ')
    .replaceAll('**', '')
    .replaceAll('__', '')
    .replaceAll('`', '')
    .trim();
}

function plainLine(line: string): string {
  return plainInline(line.replace(QUOTE_MARKERS, ''));
}

/**
 * Paragraphs (runs of non-blank lines with a word in them) gathered into sections of at most
 * `MAX_SECTION_CHARS`; a longer paragraph is cut into pieces.
 */
function chunk(title: string, lines: readonly string[]): Section[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  const end = () => {
    if (current.length > 0) paragraphs.push(current.join('\n'));
    current = [];
  };
  for (const line of lines) {
    if (line.trim() === '') end();
    else if (HAS_WORD.test(line)) current.push(line);
  }
  end();

  const sections: Section[] = [];
  let body = '';
  const emit = () => {
    if (body !== '') sections.push({ title, body });
    body = '';
  };
  for (const paragraph of paragraphs) {
    for (const piece of pieces(paragraph)) {
      if (body !== '' && body.length + 2 + piece.length > MAX_SECTION_CHARS) emit();
      body = body === '' ? piece : `${body}\n\n${piece}`;
    }
  }
  emit();
  return sections;
}

/** A paragraph cut at spaces into pieces of at most `MAX_SECTION_CHARS`. */
function pieces(paragraph: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (paragraph.length - start > MAX_SECTION_CHARS) {
    const limit = start + MAX_SECTION_CHARS;
    let cut = limit;
    while (cut > limit - WORD_BREAK_WINDOW && !isSpace(paragraph[cut])) cut--;
    if (cut === limit - WORD_BREAK_WINDOW) cut = limit;
    out.push(paragraph.slice(start, cut).trim());
    start = cut;
    while (start < paragraph.length && isSpace(paragraph[start])) start++;
  }
  const rest = paragraph.slice(start).trim();
  if (rest !== '') out.push(rest);
  return out;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\t';
}
