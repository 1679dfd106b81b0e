/** The `event:`/`data:` blocks of a complete server-sent event stream; comments are skipped. */
// biome-ignore lint/suspicious/noExplicitAny: event payloads are what the assertions examine
export function parseEvents(text: string): Array<{ event: string; data: any }> {
  return text
    .split('\n\n')
    .filter((block) => /^data:/m.test(block))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
      return { event, data };
    });
}
