/** Epoch seconds are stored as bigint; pg hands bigint back as a string, so readers go through `num`. */
export type Epoch = number | string | bigint;

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  /** Space-separated scopes this user may be granted. */
  scope: string;
  tier: string;
  disabled: number;
  created_at: Epoch;
  updated_at: Epoch;
}

export interface ClientsTable {
  client_id: string;
  client_secret_hash: string | null;
  client_name: string;
  /** JSON array. */
  redirect_uris: string;
  /** JSON array. */
  grant_types: string;
  token_endpoint_auth_method: string;
  /** Space-separated scopes the client may obtain (and gets by default). */
  scope: string;
  /** JSON array of audiences reachable by client credentials or token exchange. */
  allowed_audiences: string;
  tier: string;
  /** 1 for clients the operator trusts: no consent page. */
  first_party: number;
  disabled: number;
  created_at: Epoch;
  updated_at: Epoch;
}

export interface AuthCodesTable {
  code_hash: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  code_challenge: string;
  scope: string;
  resource: string;
  expires_at: Epoch;
  used_at: Epoch | null;
  /** What the code was exchanged for, revoked if the code is presented again. */
  issued_jti: string | null;
  issued_jti_exp: Epoch | null;
  issued_family: string | null;
  created_at: Epoch;
}

export interface RefreshTokensTable {
  token_hash: string;
  family_id: string;
  client_id: string;
  user_id: string;
  scope: string;
  resource: string;
  created_at: Epoch;
  /** Idle expiry of this token. */
  expires_at: Epoch;
  /** Absolute expiry of the whole family. */
  family_expires_at: Epoch;
  used_at: Epoch | null;
  revoked_at: Epoch | null;
  /** The access token issued beside it, deny-listed when the family is revoked. */
  last_jti: string | null;
  last_jti_exp: Epoch | null;
}

export interface RevokedJtisTable {
  jti: string;
  expires_at: Epoch;
}

export interface SigningKeysTable {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: Epoch;
}

export interface ConsentsTable {
  user_id: string;
  client_id: string;
  scope: string;
  created_at: Epoch;
}

export interface AuditEventsTable {
  id: string;
  at: Epoch;
  event: string;
  outcome: string;
  actor: string | null;
  subject: string | null;
  client_id: string | null;
  ip: string | null;
  detail: string;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure: Epoch;
  locked_until: Epoch;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export interface UsedFormTokensTable {
  id: string;
  /** When the token would have expired anyway; the row is purged after that. */
  expires_at: Epoch;
}

export interface RateLimitsTable {
  key: string;
  window_start: Epoch;
  count: number;
}

export interface AuthDB {
  users: UsersTable;
  clients: ClientsTable;
  auth_codes: AuthCodesTable;
  refresh_tokens: RefreshTokensTable;
  revoked_jtis: RevokedJtisTable;
  signing_keys: SigningKeysTable;
  consents: ConsentsTable;
  audit_events: AuditEventsTable;
  settings: SettingsTable;
  login_throttle: LoginThrottleTable;
  used_form_tokens: UsedFormTokensTable;
  rate_limits: RateLimitsTable;
}

/** bigint columns come back as strings from pg and numbers from SQLite. */
export function num(v: Epoch): number;
export function num(v: Epoch | null): number | null;
export function num(v: Epoch | null): number | null {
  return v === null ? null : Number(v);
}
