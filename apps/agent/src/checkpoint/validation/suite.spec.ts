// Run by vitest (see run-suite.ts), not by jest: the validation package is written for vitest.
import { deltaChannelHistoryTests, specTest } from '@langchain/langgraph-checkpoint-validation';
import { initializerFor, type ValidationTarget } from './initializers.js';

const target = (process.env.CHECKPOINT_VALIDATION_TARGET ?? 'sqlite') as ValidationTarget;
const initializer = initializerFor(target);
specTest(initializer);
// Opt-in in the package (its own savers run it too): the ancestor walk DeltaChannel reads through.
deltaChannelHistoryTests(initializer);
