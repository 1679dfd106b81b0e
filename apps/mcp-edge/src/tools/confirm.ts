import {
  type CallToolResult,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { ToolCall } from './tool-call-gate.js';

/** The key of the confirmation question in `inputRequests` and of its answer in `inputResponses`. */
export const CONFIRM_KEY = 'confirm';

/** The form the user answers: one yes/no field. */
export const confirmFormSchema = z.object({
  confirm: z.boolean().describe('Yes, go ahead'),
});

/** Where asking the user led: go ahead, stop, or a result to answer with (a question or an error). */
export type Confirmation =
  | { outcome: 'confirmed' }
  | { outcome: 'declined'; result: CallToolResult }
  | { outcome: 'ask'; result: InputRequiredResult | CallToolResult };

export interface ConfirmRequest {
  /** The tool's `confirm` argument: `true` confirms up front, `false` declines. */
  confirmArg: boolean | undefined;
  /** The question the user sees. */
  question: string;
  /** The tool error for a client that can ask no one: how to confirm with the argument. */
  howToConfirm: string;
  /** The result when the user says no. */
  declined: string;
}

const text = (t: string, isError = false): CallToolResult => ({
  content: [{ type: 'text', text: t }],
  ...(isError ? { isError: true } : {}),
});

/**
 * Confirmation before an action that cannot be undone. A `confirm: true` argument is enough
 * (clients that cannot ask their user); otherwise a client that declared form elicitation is
 * asked through the SDK's input-required flow (the client answers in-band and retries on
 * 2026-07-28; on a 2025 connection the SDK sends `elicitation/create` and re-enters the tool);
 * anyone else gets an error saying to pass `confirm: true`. Declining, cancelling or answering
 * "no" stops the action.
 *
 * No request state travels with the question: the retried request carries its own arguments,
 * and its answer grants nothing a `confirm: true` argument would not.
 */
export function confirmAction(call: ToolCall, request: ConfirmRequest): Confirmation {
  if (request.confirmArg === true) return { outcome: 'confirmed' };
  if (request.confirmArg === false) return { outcome: 'declined', result: text(request.declined) };
  const answer = inputResponse(call.inputResponses, CONFIRM_KEY);
  if (answer.kind === 'elicit') {
    const yes = answer.action === 'accept' && confirmFormSchema.safeParse(answer.content).data?.confirm;
    return yes ? { outcome: 'confirmed' } : { outcome: 'declined', result: text(request.declined) };
  }
  if (!call.canElicit) return { outcome: 'ask', result: text(request.howToConfirm, true) };
  return {
    outcome: 'ask',
    result: inputRequired({
      inputRequests: {
        [CONFIRM_KEY]: inputRequired.elicit({
          message: request.question,
          requestedSchema: confirmFormSchema,
        }),
      },
    }),
  };
}
