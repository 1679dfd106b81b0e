import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { authMigrations } from './migrations.js';

/** The statements the migrations run, compiled for a dialect without a database behind it. */
async function ddl(dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const statements: string[] = [];
  const pg = dialect === 'postgres';
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => (pg ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => (pg ? new PostgresIntrospector(k) : new SqliteIntrospector(k)),
      createQueryCompiler: () => (pg ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
    log: (event) => {
      statements.push(event.query.sql);
    },
  });
  for (const migration of Object.values(authMigrations)) await migration.up(db);
  return statements;
}

// Applied migrations are history: their tables must come out exactly as they first did.
const EXPECTED = [
  `create table "users" ("id" text primary key, "username" text not null unique, "password_hash" text not null, "scope" text not null, "tier" text default 'free' not null, "disabled" integer default 0 not null, "created_at" bigint not null, "updated_at" bigint not null)`,
  `create table "clients" ("client_id" text primary key, "client_secret_hash" text, "client_name" text not null, "redirect_uris" text not null, "grant_types" text not null, "token_endpoint_auth_method" text not null, "scope" text not null, "allowed_audiences" text not null, "tier" text default 'free' not null, "first_party" integer default 0 not null, "disabled" integer default 0 not null, "created_at" bigint not null, "updated_at" bigint not null)`,
  `create table "auth_codes" ("code_hash" text primary key, "client_id" text not null, "user_id" text not null, "redirect_uri" text not null, "code_challenge" text not null, "scope" text not null, "resource" text not null, "expires_at" bigint not null, "used_at" bigint, "issued_jti" text, "issued_jti_exp" bigint, "issued_family" text, "created_at" bigint not null)`,
  `create table "refresh_tokens" ("token_hash" text primary key, "family_id" text not null, "client_id" text not null, "user_id" text not null, "scope" text not null, "resource" text not null, "created_at" bigint not null, "expires_at" bigint not null, "family_expires_at" bigint not null, "used_at" bigint, "revoked_at" bigint, "last_jti" text, "last_jti_exp" bigint)`,
  `create index "refresh_tokens_family" on "refresh_tokens" ("family_id")`,
  `create index "refresh_tokens_user" on "refresh_tokens" ("user_id")`,
  `create table "revoked_jtis" ("jti" text primary key, "expires_at" bigint not null)`,
  `create table "signing_keys" ("kid" text primary key, "private_jwk" text not null, "public_jwk" text not null, "created_at" bigint not null)`,
  `create table "consents" ("user_id" text not null, "client_id" text not null, "scope" text not null, "created_at" bigint not null, constraint "consents_pk" primary key ("user_id", "client_id"))`,
  `create table "audit_events" ("id" text primary key, "at" bigint not null, "event" text not null, "outcome" text not null, "actor" text, "subject" text, "client_id" text, "ip" text, "detail" text not null)`,
  `create index "audit_events_at" on "audit_events" ("at")`,
  `create table "settings" ("name" text primary key, "value" text not null)`,
  `create table "login_throttle" ("key" text primary key, "failures" integer not null, "last_failure" bigint not null, "locked_until" bigint not null)`,
  `create table "used_form_tokens" ("id" text primary key, "expires_at" bigint not null)`,
  `create table "rate_limits" ("key" text primary key, "window_start" bigint not null, "count" integer not null)`,
];

describe('auth migrations', () => {
  it.each(['sqlite', 'postgres'] as const)('create the same tables as always on %s', async (dialect) => {
    expect(await ddl(dialect)).toEqual(EXPECTED);
  });
});
