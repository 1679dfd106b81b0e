/**
 * Splits a server-sent event stream into `{event, data}` records as they arrive; comments and
 * blocks without data are skipped. Each byte is scanned for a block end once: the search resumes
 * where the previous chunk's search stopped, and a `\r` at the end of a chunk waits for the next
 * one, so a CRLF split across chunks is one line end.
 */
export async function* parseEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  let carry = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    let text = carry + decoder.decode(chunk, { stream: true });
    carry = text.endsWith('\r') ? '\r' : '';
    if (carry) text = text.slice(0, -1);
    // The block end may straddle the old and the new text: search from the old text's last byte.
    let from = Math.max(0, buffer.length - 1);
    buffer += text.replace(/\r\n?/g, '\n');
    let start = 0;
    let end = buffer.indexOf('\n\n', from);
    while (end >= 0) {
      let event = 'message';
      const data: string[] = [];
      for (const line of buffer.slice(start, end).split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
      start = end + 2;
      from = start;
      end = buffer.indexOf('\n\n', from);
    }
    buffer = buffer.slice(start);
  }
}
