import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely, Migration } from 'kysely';

/** Migration history lives in `auth_migrations` so other services can share the database. */
export const AUTH_MIGRATION_TABLE = 'auth_migrations';

type ColumnType = 'text' | 'bigint' | 'integer';

/**
 * A column in the few words of SQL these tables need:
 * `<type> [primary key] [not null] [unique] [default <number or 'text'>]`.
 */
type ColumnSpec = `${ColumnType}${'' | ` ${string}`}`;

function column(spec: ColumnSpec): [ColumnType, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  const [type, ...words] = spec.split(' ') as [ColumnType, ...string[]];
  const rest = words.join(' ');
  const fallback = /default (\S+)$/.exec(rest)?.[1];
  return [
    type,
    (c) => {
      let def = c;
      if (rest.includes('primary key')) def = def.primaryKey();
      if (rest.includes('not null')) def = def.notNull();
      if (rest.includes('unique')) def = def.unique();
      if (fallback !== undefined)
        def = def.defaultTo(fallback.startsWith("'") ? fallback.slice(1, -1) : Number(fallback));
      return def;
    },
  ];
}

function createTable(db: Kysely<unknown>, name: string, columns: Record<string, ColumnSpec>) {
  let table: CreateTableBuilder<string, string> = db.schema.createTable(name);
  for (const [columnName, spec] of Object.entries(columns))
    table = table.addColumn(columnName, ...column(spec));
  return table;
}

// Schemas stay dialect-neutral (text, bigint, integer flags) so SQLite and PostgreSQL share them.
export const authMigrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await createTable(db, 'users', {
        id: 'text primary key',
        username: 'text not null unique',
        password_hash: 'text not null',
        scope: 'text not null',
        tier: "text not null default 'free'",
        disabled: 'integer not null default 0',
        created_at: 'bigint not null',
        updated_at: 'bigint not null',
      }).execute();
      await createTable(db, 'clients', {
        client_id: 'text primary key',
        client_secret_hash: 'text',
        client_name: 'text not null',
        redirect_uris: 'text not null',
        grant_types: 'text not null',
        token_endpoint_auth_method: 'text not null',
        scope: 'text not null',
        allowed_audiences: 'text not null',
        tier: "text not null default 'free'",
        first_party: 'integer not null default 0',
        disabled: 'integer not null default 0',
        created_at: 'bigint not null',
        updated_at: 'bigint not null',
      }).execute();
      await createTable(db, 'auth_codes', {
        code_hash: 'text primary key',
        client_id: 'text not null',
        user_id: 'text not null',
        redirect_uri: 'text not null',
        code_challenge: 'text not null',
        scope: 'text not null',
        resource: 'text not null',
        expires_at: 'bigint not null',
        used_at: 'bigint',
        issued_jti: 'text',
        issued_jti_exp: 'bigint',
        issued_family: 'text',
        created_at: 'bigint not null',
      }).execute();
      await createTable(db, 'refresh_tokens', {
        token_hash: 'text primary key',
        family_id: 'text not null',
        client_id: 'text not null',
        user_id: 'text not null',
        scope: 'text not null',
        resource: 'text not null',
        created_at: 'bigint not null',
        expires_at: 'bigint not null',
        family_expires_at: 'bigint not null',
        used_at: 'bigint',
        revoked_at: 'bigint',
        last_jti: 'text',
        last_jti_exp: 'bigint',
      }).execute();
      await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
      await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();
      await createTable(db, 'revoked_jtis', {
        jti: 'text primary key',
        expires_at: 'bigint not null',
      }).execute();
      await createTable(db, 'signing_keys', {
        kid: 'text primary key',
        private_jwk: 'text not null',
        public_jwk: 'text not null',
        created_at: 'bigint not null',
      }).execute();
      await createTable(db, 'consents', {
        user_id: 'text not null',
        client_id: 'text not null',
        scope: 'text not null',
        created_at: 'bigint not null',
      })
        .addPrimaryKeyConstraint('consents_pk', ['user_id', 'client_id'])
        .execute();
      await createTable(db, 'audit_events', {
        id: 'text primary key',
        at: 'bigint not null',
        event: 'text not null',
        outcome: 'text not null',
        actor: 'text',
        subject: 'text',
        client_id: 'text',
        ip: 'text',
        detail: 'text not null',
      }).execute();
      await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
      await createTable(db, 'settings', { name: 'text primary key', value: 'text not null' }).execute();
    },
  },
  '0002_login_throttle': {
    // Shared by every replica, so a guesser gains nothing by spreading attempts across them.
    up: (db: Kysely<unknown>) =>
      createTable(db, 'login_throttle', {
        key: 'text primary key',
        failures: 'integer not null',
        last_failure: 'bigint not null',
        locked_until: 'bigint not null',
      }).execute(),
  },
  '0003_form_tokens_and_rate_limits': {
    async up(db: Kysely<unknown>) {
      const tables: Record<string, Record<string, ColumnSpec>> = {
        // Form tokens already used, so a login or consent form is answered once on any replica.
        used_form_tokens: { id: 'text primary key', expires_at: 'bigint not null' },
        // Fixed-window counters (registrations per address), shared by every replica.
        rate_limits: { key: 'text primary key', window_start: 'bigint not null', count: 'integer not null' },
      };
      for (const [name, columns] of Object.entries(tables)) await createTable(db, name, columns).execute();
    },
  },
};
