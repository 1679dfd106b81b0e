import { hostileInputSuite } from './testing/hostile-input.js';

// On the embedded SQLite stores; hostile-input.int.test.ts runs the same sweep on PostgreSQL.
hostileInputSuite();
