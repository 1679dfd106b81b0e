import { authorizerOptionsFromConfig } from './factory.js';

describe('authorizer options from configuration', () => {
  it('uses OpenFGA only when both its URL and store id are set', () => {
    expect(
      authorizerOptionsFromConfig({
        OPENFGA_API_URL: 'http://openfga:8080',
        OPENFGA_STORE_ID: '01JA8PM3QM7VBPGB8KMPK8SBD5',
        OPENFGA_MODEL_ID: '01JA8PMM6A90NV5ET0F28CYSZQ',
        OPENFGA_API_TOKEN: 'token',
        DATABASE_URL: 'postgres://db/app',
      }),
    ).toEqual({
      openfga: {
        apiUrl: 'http://openfga:8080',
        storeId: '01JA8PM3QM7VBPGB8KMPK8SBD5',
        modelId: '01JA8PMM6A90NV5ET0F28CYSZQ',
        apiToken: 'token',
      },
    });
    expect(authorizerOptionsFromConfig({ OPENFGA_API_URL: 'http://openfga:8080' })).toEqual({
      sqlitePath: '.data/authz.db',
    });
  });

  it('prefers the authorization database, then the service database, then the shared SQLite file', () => {
    expect(
      authorizerOptionsFromConfig({ AUTHZ_DATABASE_URL: 'postgres://a', DATABASE_URL: 'postgres://b' }),
    ).toEqual({
      databaseUrl: 'postgres://a',
    });
    expect(authorizerOptionsFromConfig({ DATABASE_URL: 'postgres://b' })).toEqual({
      databaseUrl: 'postgres://b',
    });
    expect(authorizerOptionsFromConfig({ DATA_DIR: '/var/lib/app' })).toEqual({
      sqlitePath: '/var/lib/app/authz.db',
    });
  });
});
