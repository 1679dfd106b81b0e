import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

// `Algorithm` is a const enum, which isolated modules cannot read; 2 is its Argon2id member.
const ARGON2ID = 2 as Algorithm;

export interface PasswordHasherOptions {
  /** argon2 memory cost in KiB (OWASP minimum for argon2id: 19 MiB). */
  memoryCost?: number;
  timeCost?: number;
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;

/** argon2id hashing, plus a dummy verification so unknown accounts take as long as known ones. */
export function createPasswordHasher(options: PasswordHasherOptions = {}) {
  const params = {
    algorithm: ARGON2ID,
    memoryCost: options.memoryCost ?? 19456,
    timeCost: options.timeCost ?? 2,
    parallelism: 1,
  };
  let dummy: Promise<string> | undefined;
  const hashPassword = (password: string) => hash(password, params);
  return {
    hash: hashPassword,
    async verify(passwordHash: string, password: string): Promise<boolean> {
      try {
        return await verify(passwordHash, password);
      } catch {
        return false;
      }
    },
    /** Spends the same work as a real check and answers false. */
    async verifyUnknown(password: string): Promise<false> {
      dummy ??= hashPassword(randomBytes(16).toString('hex'));
      try {
        await verify(await dummy, password);
      } catch {
        // The answer is false whatever happens.
      }
      return false;
    },
  };
}
