import "server-only";
/**
 * Password hashing with argon2id from node:crypto (Node 24), stored as a PHC string
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (OWASP's minimum recommended parameters).
 */
import { argon2, randomBytes, timingSafeEqual } from "node:crypto";

const PARAMS = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 } as const;

function derive(
  password: string,
  salt: Buffer,
  p: { memory: number; passes: number; parallelism: number; tagLength: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2("argon2id", { message: password, nonce: salt, ...p }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return `$argon2id$v=19$m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(phc);
  if (!m) return false;
  const expected = Buffer.from(m[5], "base64url");
  const key = await derive(password, Buffer.from(m[4], "base64url"), {
    memory: Number(m[1]),
    passes: Number(m[2]),
    parallelism: Number(m[3]),
    tagLength: expected.length,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Why a password is too weak, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return "Password must be at least 10 characters long.";
  if (password.length > 200) return "Password must be at most 200 characters long.";
  if (!/[a-zA-Z]/.test(password) || !/[^a-zA-Z]/.test(password)) {
    return "Password must mix letters with digits or symbols.";
  }
  if (new Set(password).size < 5) return "Password has too few distinct characters.";
  return null;
}
