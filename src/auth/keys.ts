import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../api/errors";
import { apiKeys } from "../audit/schema";
import { hashSecret, KEY_RE, type Role, timingSafeEqual } from "./key-material";

export { generateKey, ROLES, type Role } from "./key-material";

/** Who is calling: the tenant and role of the presented key. */
export interface Principal {
  tenant: string;
  role: Role;
  keyId: string;
}

interface CachedKey {
  tenant: string;
  role: Role;
  secretHash: string;
  revoked: boolean;
  at: number;
  /**
   * The secret last presented with this id that matched the stored hash. A
   * busy agent sends the same key on every request; comparing against it (in
   * constant time) skips hashing on the hot path. It lives only in this
   * isolate's memory, as long as the cache entry, and is never written.
   */
  verified?: string;
}

/**
 * Keys are cached per isolate for a few seconds so an evaluation does not pay
 * a D1 read; a revocation therefore takes effect within KEY_CACHE_MS.
 */
export const KEY_CACHE_MS = 10_000;
const cache = new Map<string, CachedKey | null>();
const cacheAt = new Map<string, number>();

async function lookup(db: D1Database, id: string): Promise<CachedKey | null> {
  const now = Date.now();
  const at = cacheAt.get(id);
  if (at !== undefined && now - at < KEY_CACHE_MS) return cache.get(id) ?? null;
  const rows = await drizzle(db).select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  const row = rows[0];
  const value: CachedKey | null = row
    ? { tenant: row.tenant, role: row.role, secretHash: row.secretHash, revoked: row.revokedAt !== null, at: now }
    : null;
  if (cache.size > 10_000) {
    cache.clear();
    cacheAt.clear();
  }
  cache.set(id, value);
  cacheAt.set(id, now);
  return value;
}

/** Resolve `Authorization: Bearer …` to a principal, or throw 401. */
export async function authenticate(db: D1Database, header: string | undefined): Promise<Principal> {
  if (!header) throw new ApiError("unauthorized", "missing Authorization header: send 'Authorization: Bearer <api key>'");
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!m) throw new ApiError("unauthorized", "the Authorization header must be 'Bearer <api key>'");
  const km = KEY_RE.exec(m[1] as string);
  if (!km) throw new ApiError("unauthorized", "invalid API key");
  const [, id, secret] = km as unknown as [string, string, string];
  let key: CachedKey | null;
  try {
    key = await lookup(db, id);
  } catch (e) {
    console.error("key lookup failed", e);
    throw new ApiError("unavailable", "the key store is unavailable; try again");
  }
  let ok: boolean;
  if (key?.verified !== undefined && timingSafeEqual(secret, key.verified)) ok = !key.revoked;
  else {
    // Hash and compare even for unknown ids so timing does not reveal which ids exist.
    ok = timingSafeEqual(hashSecret(secret), key?.secretHash ?? "0".repeat(64)) && key !== null && !key.revoked;
    if (ok && key) key.verified = secret;
  }
  if (!ok || !key) throw new ApiError("unauthorized", "invalid API key");
  return { tenant: key.tenant, role: key.role, keyId: id };
}

/** Forget cached keys (tests revoke a key and expect the next request to see it). */
export function clearKeyCache(): void {
  cache.clear();
  cacheAt.clear();
}
