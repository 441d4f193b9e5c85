/**
 * API keys. A key is `cdn_<id>_<secret>`: the id is public (it names the key in
 * listings and logs), the secret is 32 random bytes shown once. Only
 * SHA-256(secret) is stored; comparison is constant-time.
 */
import { sha256Hex } from "../engine/sha256";

export const ROLES = ["agent", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const KEY_RE = /^cdn_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A fresh key: its public id, the full token to hand out once, and the hash to store. */
export async function generateKey(): Promise<{ id: string; token: string; secretHash: string }> {
  const idBytes = crypto.getRandomValues(new Uint8Array(16));
  const id = Array.from(idBytes, (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");
  const secret = b64url(crypto.getRandomValues(new Uint8Array(32)));
  return { id, token: `cdn_${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** SHA-256 of the secret, hex. Synchronous: a key's secret is one block, and a request should not pay an extra turn of the event loop for it. */
export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}

/** Constant-time comparison of two equal-length hex strings. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
