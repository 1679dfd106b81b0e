// One jest run over every workspace: a single summary for `npm test` and CI.
const transform = {
  '^.+\\.(t|j)s$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

const project = (name, dir) => ({
  displayName: name,
  rootDir: __dirname,
  roots: [`<rootDir>/${dir}`],
  testMatch: ['**/*.test.ts'],
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons', 'development'] },
  transform,
  // Sources import siblings as './x.js' (Node ESM); map them back to the TypeScript file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // @mistralai/mistralai ships ES modules only; jest's CommonJS runtime needs it compiled.
  transformIgnorePatterns: ['/node_modules/(?!@mistralai/)'],
});

module.exports = {
  projects: [
    project('protocol', 'packages/protocol'),
    project('config', 'packages/config'),
    project('observability', 'packages/observability'),
    project('db', 'packages/db'),
    project('authz', 'packages/authz'),
    project('resource-server', 'packages/resource-server'),
    project('ratelimit', 'packages/ratelimit'),
    project('auth', 'apps/auth'),
    project('agent', 'apps/agent'),
    project('mcp-edge', 'apps/mcp-edge'),
    project('e2e', 'tests/e2e'),
    project('conformance', 'tests/conformance'),
    project('infra', 'tests/infra'),
  ],
  testTimeout: 60000,
};
