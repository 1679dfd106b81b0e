import { testClock, useAuthServer } from '../testing/setup.js';

/** The service's own token checks (introspection, exchange) allow AUTH_CLOCK_TOLERANCE_SECONDS of skew. */
describe.each([
  ['0', false],
  ['30', true],
])('with AUTH_CLOCK_TOLERANCE_SECONDS=%s', (tolerance, acceptedLate) => {
  const clock = testClock();
  const { auth, introspect } = useAuthServer({
    users: { alice: 'secret-a' },
    consent: false,
    clock: clock.now,
    env: { AUTH_CLOCK_TOLERANCE_SECONDS: tolerance, AUTH_ACCESS_TOKEN_TTL: '60' },
  });
  afterEach(() => clock.set(0));

  it(`a token 10 s past its expiry is ${acceptedLate ? 'still' : 'no longer'} active`, async () => {
    const { access_token } = await auth().userToken({ username: 'alice', password: 'secret-a' });
    clock.set(70);
    expect(await introspect(access_token)).toMatchObject({ active: acceptedLate });
  });
});
