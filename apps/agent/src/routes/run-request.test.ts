import { RUN_ERROR_STATUS } from '@mcp-langgraph/protocol';
import { RunTimeoutError, ThreadBusyError } from '../runs.js';
import { runFailure } from './run-request.js';

describe('runFailure', () => {
  it.each([
    ['a busy thread', new ThreadBusyError(), 'thread_busy'],
    ['a timed-out run', new RunTimeoutError(100), 'run_timeout'],
    ['anything else', new Error('model unavailable'), 'run_failed'],
  ])('answers %s with the status the protocol gives its stream error code', (_what, err, code) => {
    const failure = runFailure(err);
    expect(failure.code).toBe(code);
    expect(failure.status).toBe(RUN_ERROR_STATUS[code]);
  });

  it('tells a busy caller when to retry and keeps internals out of the message', () => {
    expect(runFailure(new ThreadBusyError()).headers).toEqual({ 'Retry-After': '2' });
    expect(runFailure(new Error('secret detail')).message).not.toContain('secret detail');
  });
});
