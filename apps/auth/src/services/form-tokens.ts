import type { UsedFormTokenStore } from '../store/used-form-tokens.js';
import type { BrowserBinding } from './browser-binding.js';
import { bindingOf, type FormSigner } from './forms.js';

/** Why a posted form was not accepted; `replayed` is a token that was already answered once. */
export type FormRefusal = 'no_cookie' | 'invalid' | 'replayed';

export type FormTokens = ReturnType<typeof createFormTokens>;

/**
 * Login and consent form tokens: bound to the request they were made for and to the browser
 * (double submit: the token is an HMAC over the binding cookie), and answered once only, in the
 * shared store so a replay on another replica is refused too.
 */
export function createFormTokens(deps: {
  signer: FormSigner;
  browser: BrowserBinding;
  used: UsedFormTokenStore;
  ttlSeconds: number;
}) {
  const bound = (binding: string, browserId: string) => bindingOf([binding, browserId]);
  return {
    browser: deps.browser,
    /** A token for a form shown to the browser with binding id `browserId`. */
    issue(purpose: string, binding: string, browserId: string): string {
      return deps.signer.sign(purpose, bound(binding, browserId), deps.ttlSeconds);
    },
    /**
     * Accepts a posted token once: valid for this purpose, request and browser, and not used before.
     * A token that fails the checks is not used up, so a tampered copy cannot burn the real form.
     */
    async redeem(
      purpose: string,
      binding: string,
      browserId: string | undefined,
      token: unknown,
    ): Promise<{ ok: true } | { ok: false; refusal: FormRefusal }> {
      if (!browserId) return { ok: false, refusal: 'no_cookie' };
      const opened = deps.signer.open(purpose, bound(binding, browserId), token);
      if (!opened) return { ok: false, refusal: 'invalid' };
      if (!(await deps.used.consume(`${purpose}:${opened.id}`, opened.exp)))
        return { ok: false, refusal: 'replayed' };
      return { ok: true };
    },
    purgeExpired: (before: number) => deps.used.purgeExpired(before),
  };
}
