import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { MAX_DOCUMENT_BYTES, type SkippedDocument } from './knowledge-index.js';

/** What the index reads: Markdown and plain text. PDF extractors need a newer Node than ours. */
const DOCUMENT = /\.(md|markdown|txt)$/i;
const MAX_DEPTH = 16;
const MAX_FILES = 100_000;

export interface DocumentFile {
  /** Relative to the docs folder, `/`-separated: the hit's `source` and the row's unique key. */
  source: string;
  /** Where to read it (a link inside the folder is read at its target). */
  path: string;
}

export interface FolderListing {
  files: DocumentFile[];
  skipped: SkippedDocument[];
}

export interface LoadedDocument {
  source: string;
  sha256: string;
  text: string;
  bytes: number;
}

/**
 * The documents under `dir`, sorted by source. Hidden entries (`.git`, `.obsidian`) are passed
 * over; links are followed only when their target is inside the folder; files over
 * `MAX_DOCUMENT_BYTES` are listed as skipped. Throws when `dir` itself cannot be read.
 */
export async function listDocuments(dir: string, maxBytes = MAX_DOCUMENT_BYTES): Promise<FolderListing> {
  const root = await realpath(dir);
  const files: DocumentFile[] = [];
  const skipped: SkippedDocument[] = [];
  const visited = new Set<string>([root]);
  const pending: Array<{ path: string; source: string; depth: number }> = [
    { path: root, source: '', depth: 0 },
  ];
  const inside = (target: string) => target === root || target.startsWith(root + sep);

  while (pending.length > 0) {
    const folder = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(folder.path, { withFileTypes: true });
    } catch {
      skipped.push({ source: folder.source, reason: 'folder cannot be read' });
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const source = folder.source ? `${folder.source}/${entry.name}` : entry.name;
      let path = join(folder.path, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await realpath(path).catch(() => undefined);
        if (target === undefined) {
          skipped.push({ source, reason: 'broken link' });
          continue;
        }
        if (!inside(target)) {
          skipped.push({ source, reason: 'link leaves the docs folder' });
          continue;
        }
        const info = await stat(target);
        path = target;
        isDirectory = info.isDirectory();
        isFile = info.isFile();
      }
      if (isDirectory) {
        if (visited.has(path)) continue;
        visited.add(path);
        if (folder.depth + 1 > MAX_DEPTH) skipped.push({ source, reason: `nested deeper than ${MAX_DEPTH}` });
        else pending.push({ path, source, depth: folder.depth + 1 });
        continue;
      }
      if (!isFile || !DOCUMENT.test(entry.name)) continue;
      const { size } = await stat(path);
      if (size > maxBytes) skipped.push({ source, reason: tooLarge(maxBytes) });
      else if (files.length >= MAX_FILES)
        skipped.push({ source, reason: `more than ${MAX_FILES} documents` });
      else files.push({ source, path });
    }
  }
  files.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return { files, skipped };
}

function tooLarge(maxBytes: number): string {
  return `larger than ${maxBytes >= 1024 * 1024 ? `${maxBytes / (1024 * 1024)} MB` : `${maxBytes} bytes`}`;
}

/** Reads one listed file; a file that grew past the bound since it was listed is refused. */
export async function loadDocument(
  file: DocumentFile,
  maxBytes = MAX_DOCUMENT_BYTES,
): Promise<LoadedDocument | SkippedDocument> {
  let content: Buffer;
  try {
    content = await readFile(file.path);
  } catch {
    return { source: file.source, reason: 'file cannot be read' };
  }
  if (content.length > maxBytes) return { source: file.source, reason: tooLarge(maxBytes) };
  return {
    source: file.source,
    sha256: createHash('sha256').update(content).digest('hex'),
    text: content.toString('utf8'),
    bytes: content.length,
  };
}
