/**
 * Signed vote links (`GET|POST /approve/{token}`, api.md "Jobs and approvals").
 *
 * A token is `base64url(canonical JSON of the claims)` + `.` + `base64url(HMAC-SHA256)`
 * where the MAC covers `"cordon-vote-v1." + <payload part as sent>`. The prefix
 * binds the MAC to this purpose and version, so a MAC made with the same secret
 * for anything else can never pass as a vote.
 *
 * The MAC is checked on the exact characters of the payload part before any of
 * it is decoded or parsed, and the MAC part is compared as text rather than as
 * decoded bytes: base64url's last character carries unused bits, and comparing
 * bytes would let two spellings of one MAC both pass.
 *
 * "Works once" is not enforced here: the approval object records each nonce it
 * has accepted.
 */
import { z } from "zod";
import { ApiError } from "../api/errors";
import { canonicalJson } from "../engine/canonical";
import { APPROVER, TENANT_ID } from "../policy/schema";

/** Longer tokens are refused before any work: a link never needs more. */
export const MAX_TOKEN_LENGTH = 2048;
/** Bytes of secret below which signing and verifying refuse to run (HMAC-SHA256 wants at least its output size). */
export const MIN_SECRET_BYTES = 32;

const MAC_CONTEXT = "cordon-vote-v1.";
const NONCE_BYTES = 16;
/** 32 bytes of HMAC-SHA256 in unpadded base64url. */
const MAC_CHARS = 43;
const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The claims a vote token carries: one approval, one approver, one vote. Strict,
 * so a payload with an extra or missing field is malformed even if it were
 * somehow signed.
 */
export const voteClaimsSchema = z.strictObject({
  approval_id: z.string().min(1).max(200),
  tenant: z.string().regex(TENANT_ID),
  // A link is for one person; groups are expanded before tokens are made.
  approver: z
    .string()
    .regex(APPROVER)
    .refine((a) => !a.startsWith("group:"), "a vote token names a person, not a group"),
  vote: z.enum(["approve", "reject"]),
  expires_at: z.int().min(0),
  // 16 bytes in unpadded base64url.
  nonce: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
});

export type VoteClaims = z.infer<typeof voteClaimsSchema>;

export type VerifyResult = { ok: true; claims: VoteClaims } | { ok: false; reason: "malformed" | "forged" | "expired" };

const encoder = new TextEncoder();

/** A fresh nonce: 16 random bytes, base64url without padding (22 characters). */
export function newNonce(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
}

/**
 * Sign vote claims into a URL-safe token.
 *
 * @throws ApiError `unavailable` when the secret is shorter than 32 bytes (misconfiguration).
 * @throws TypeError when the claims are not valid: a token that
 *   {@link verifyVoteToken} would refuse must never be handed out.
 */
export async function signVoteToken(claims: VoteClaims, secret: string): Promise<string> {
  const key = await importSecret(secret);
  const parsed = voteClaimsSchema.safeParse(claims);
  if (!parsed.success) throw new TypeError(`vote token claims are invalid: ${z.prettifyError(parsed.error)}`);
  const payload = toBase64Url(encoder.encode(canonicalJson(parsed.data)));
  const token = `${payload}.${await macOf(key, payload)}`;
  if (token.length > MAX_TOKEN_LENGTH) throw new TypeError("vote token claims are too long for a link");
  return token;
}

/**
 * Check a vote token: length and shape, then the MAC (constant time), then the
 * claims (strictly), then expiry. Nothing from the payload is decoded before the
 * MAC has matched.
 *
 * @param nowMs the current time in unix milliseconds; the token is expired when `nowMs >= expires_at`.
 * @throws ApiError `unavailable` when the secret is shorter than 32 bytes (misconfiguration).
 */
export async function verifyVoteToken(token: string, secret: string, nowMs: number): Promise<VerifyResult> {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  // Before the shape checks, so that a misconfiguration is reported as such
  // instead of hiding behind "malformed" for junk tokens.
  const key = await importSecret(secret);
  const dot = token.indexOf(".");
  if (dot < 0) return { ok: false, reason: "malformed" };
  const payload = token.slice(0, dot);
  const mac = token.slice(dot + 1);
  if (!B64URL.test(payload) || mac.length !== MAC_CHARS || !B64URL.test(mac)) return { ok: false, reason: "malformed" };

  if (!timingSafeEqual(mac, await macOf(key, payload))) return { ok: false, reason: "forged" };

  // Past this point the payload is ours: a failure below means a signing bug or
  // a leaked secret, and either way the token is refused.
  const bytes = fromBase64Url(payload);
  if (bytes === null) return { ok: false, reason: "malformed" };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const parsed = voteClaimsSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  if (!Number.isFinite(nowMs) || nowMs >= parsed.data.expires_at) return { ok: false, reason: "expired" };
  return { ok: true, claims: parsed.data };
}

async function importSecret(secret: string): Promise<CryptoKey> {
  const raw = encoder.encode(secret);
  if (raw.byteLength < MIN_SECRET_BYTES) {
    throw new ApiError("unavailable", "signed links are not configured");
  }
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

async function macOf(key: CryptoKey, payload: string): Promise<string> {
  const sig = await crypto.subtle.sign("HMAC", key, encoder.encode(MAC_CONTEXT + payload));
  return toBase64Url(new Uint8Array(sig));
}

/** Constant-time comparison of two strings of the same (public) length. */
function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Strict decode: null for characters outside the alphabet or an impossible length. */
function fromBase64Url(text: string): Uint8Array | null {
  if (!B64URL.test(text) || text.length % 4 === 1) return null;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
