import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The process environment over the `.env` file (when there is one): a variable set in the
 * environment always wins, so a deployment can override anything a developer keeps in `.env`.
 */
export function readEnvironment(
  processEnv: NodeJS.ProcessEnv,
  envFile: string | undefined = '.env',
): Environment {
  const fromFile = envFile && existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) merged[k] = v;
  return Object.freeze(merged);
}
