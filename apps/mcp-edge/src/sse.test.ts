import { parseEvents } from './sse.js';

/** A body that delivers `parts` as separate chunks, as a socket may split them. */
function body(parts: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(encoder.encode(p));
      controller.close();
    },
  });
}

async function collect(parts: readonly string[]) {
  const out: Array<{ event: string; data: string }> = [];
  for await (const e of parseEvents(body(parts))) out.push(e);
  return out;
}

describe('parseEvents', () => {
  it('reads events split anywhere, with LF or CRLF line ends, skipping comments', async () => {
    const stream =
      'event: metadata\r\ndata: {"a":1}\r\n\r\n: keep-alive\r\n\r\nevent: values\ndata: x\ndata: y\n\n';
    const whole = await collect([stream]);
    expect(whole).toEqual([
      { event: 'metadata', data: '{"a":1}' },
      { event: 'values', data: 'x\ny' },
    ]);
    // Every split point, including between the \r and the \n of a CRLF, gives the same events.
    for (let i = 1; i < stream.length; i++)
      expect(await collect([stream.slice(0, i), stream.slice(i)])).toEqual(whole);
    // One byte at a time too.
    expect(await collect([...stream])).toEqual(whole);
  });

  it('names an event without an event line "message"', async () => {
    expect(await collect(['data: hi\n\n'])).toEqual([{ event: 'message', data: 'hi' }]);
  });
});
