/**
 * Splits a server-sent event stream into `{event, data}` records as they arrive; comments and
 * blocks without data are skipped. Each byte is scanned once (no re-scanning of the buffer).
 */
export async function* parseEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    let start = 0;
    let end = buffer.indexOf('\n\n', start);
    while (end >= 0) {
      let event = 'message';
      const data: string[] = [];
      for (const line of buffer.slice(start, end).split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
      start = end + 2;
      end = buffer.indexOf('\n\n', start);
    }
    buffer = buffer.slice(start);
  }
}
