/**
 * A client name as a person reads it: NFKC folds compatibility look-alikes (full-width letters,
 * ligatures, modifier letters) into plain ones, then case, whitespace and invisible formatting
 * characters (zero-width spaces and joiners) are dropped. Two names that fold alike look alike on
 * the consent page.
 */
export function foldClientName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\p{White_Space}\p{Cf}]/gu, '')
    .toLowerCase();
}

/** Whether `name` would pass for one of the first-party clients' names on the consent page. */
export function impersonatesFirstParty(name: string, firstPartyNames: readonly string[]): boolean {
  const folded = foldClientName(name);
  return folded.length > 0 && firstPartyNames.some((n) => foldClientName(n) === folded);
}
