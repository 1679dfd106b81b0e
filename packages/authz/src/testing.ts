export { authorizerContract } from './contract.js';
export { type FakeOpenFga, startFakeOpenFga } from './testing/fake-openfga.js';
