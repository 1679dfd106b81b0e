/**
 * `describe` for tests that need something outside npm's tree (a database, a browser, a tool).
 * `missing` says why it cannot run, or is undefined when it can. Missing under CI=true: one
 * failing test naming what CI must provide (`ciHint`); elsewhere a skip with the reason printed,
 * so a laptop without the service still runs everything else.
 */
export function describeWhenAvailable(
  name: string,
  fn: () => void,
  requirement: { missing: string | undefined; need: string; ciHint: string },
): void {
  const { missing, need, ciHint } = requirement;
  if (!missing) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${need}`, () => {
        throw new Error(`${missing}; ${ciHint}`);
      });
    });
    return;
  }
  process.stderr.write(`skipping "${name}": ${missing}\n`);
  describe.skip(name, fn);
}
