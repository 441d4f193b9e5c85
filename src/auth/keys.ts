import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../api/errors";
import { apiKeys } from "../audit/schema";

/**
 * API keys. A key is `cdn_<id>_<secret>`: the id is public (it names the key in
 * listings and logs), the secret is 32 random bytes shown once. Only
 * SHA-256(secret) is stored; comparison is constant-time.
 */
export const ROLES = ["agent", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  tenant: string;
  role: Role;
  keyId: string;
}

const KEY_RE = /^cdn_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A fresh key: its public id, the full token to hand out once, and the hash to store. */
export async function generateKey(): Promise<{ id: string; token: string; secretHash: string }> {
  const idBytes = crypto.getRandomValues(new Uint8Array(10));
  const id = Array.from(idBytes, (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36])
    .join("")
    .padEnd(16, "0")
    .slice(0, 16);
  const secret = b64url(crypto.getRandomValues(new Uint8Array(32)));
  return { id, token: `cdn_${id}_${secret}`, secretHash: await hashSecret(secret) };
}

export async function hashSecret(secret: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Constant-time comparison of two equal-length hex strings. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

interface CachedKey {
  tenant: string;
  role: Role;
  secretHash: string;
  revoked: boolean;
  at: number;
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
  const presented = await hashSecret(secret);
  // Compare even for unknown ids so timing does not reveal which ids exist.
  const ok = timingSafeEqual(presented, key?.secretHash ?? "0".repeat(64)) && key !== null && !key.revoked;
  if (!ok || !key) throw new ApiError("unauthorized", "invalid API key");
  return { tenant: key.tenant, role: key.role, keyId: id };
}

/** Forget cached keys (tests revoke a key and expect the next request to see it). */
export function clearKeyCache(): void {
  cache.clear();
  cacheAt.clear();
}
