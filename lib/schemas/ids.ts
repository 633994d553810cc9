/**
 * Row ids as they arrive in URLs, query strings and bodies: the one definition of "looks like a
 * UUID" (8-4-4-4-12 hex digits, any version — what PostgreSQL's uuid type accepts). Anything
 * else is treated as an id that does not exist.
 */
import { z } from "zod";

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuidSchema = z.string().regex(UUID_PATTERN, "Not a valid id.");

export function isUuid(value: unknown): value is string {
  return uuidSchema.safeParse(value).success;
}

/**
 * Ticker shape, the one definition for imports, universes, providers and run requests: an
 * optional ^ (index tickers), a letter or digit, then letters, digits and . - ^ = / _ (1–24 characters, upper case). Covers BRK.B,
 * ^GSPC, EURUSD=X, BTC/USDT and C_EURUSD.
 */
export const SYMBOL_PATTERN = /^(?=.{1,24}$)\^?[A-Z0-9][A-Z0-9.\-^=/_]*$/;
export const SYMBOL_RULE = "letters, digits and . - ^ = / _, up to 24 characters";

/** A strategy version number: a positive whole number the database's integer column can hold. */
export const versionNumberSchema = z
  .number()
  .int("A version is a whole number.")
  .positive("A version is at least 1.")
  .max(2_147_483_647, "No version is that large.");

export const symbolSchema = z.string().trim().toUpperCase().regex(SYMBOL_PATTERN, `Symbols are ${SYMBOL_RULE}.`);
