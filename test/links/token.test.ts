import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/api/errors";
import { MAX_TOKEN_LENGTH, newNonce, signVoteToken, type VoteClaims, verifyVoteToken } from "../../src/links/token";

const SECRET = "test-link-secret-0123456789abcdef-xyz"; // 37 bytes
const OTHER_SECRET = "another-link-secret-0123456789abcdef";
const EXPIRES = Date.UTC(2026, 0, 1, 12, 0, 0);
const NOW = EXPIRES - 30 * 60_000;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function claims(over: Partial<VoteClaims> = {}): VoteClaims {
  return {
    approval_id: "apr_01JH8Z6Q0V3K9T2M4N5P6R7S8",
    tenant: "acme",
    approver: "slack:U024BE7LH",
    vote: "approve",
    expires_at: EXPIRES,
    nonce: newNonce(),
    ...over,
  };
}

function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodePayload(token: string): Record<string, unknown> {
  const part = token.split(".")[0] ?? "";
  const bin = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
}

function encodePayload(value: unknown): string {
  return b64url(new TextEncoder().encode(JSON.stringify(value)));
}

/** The MAC as the format defines it, computed independently of the module under test. */
async function macFor(payloadPart: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`cordon-vote-v1.${payloadPart}`));
  return b64url(new Uint8Array(sig));
}

describe("vote tokens", () => {
  it("round-trips the claims and is safe in a URL path segment", async () => {
    const c = claims();
    const token = await signVoteToken(c, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
    expect(await verifyVoteToken(token, SECRET, NOW)).toEqual({ ok: true, claims: c });
  });

  it("follows the documented format: canonical JSON payload, HMAC-SHA256 over 'cordon-vote-v1.' + payload", async () => {
    const c = claims({ vote: "reject" });
    const token = await signVoteToken(c, SECRET);
    const [payload, mac] = token.split(".");
    expect(mac).toBe(await macFor(payload ?? "", SECRET));
    const text = new TextDecoder().decode(
      Uint8Array.from(atob((payload ?? "").replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0)),
    );
    // Keys sorted, no whitespace.
    expect(text).toBe(
      `{"approval_id":"${c.approval_id}","approver":"${c.approver}","expires_at":${c.expires_at},"nonce":"${c.nonce}","tenant":"acme","vote":"reject"}`,
    );
  });

  it("rejects every single-character change, at every position", async () => {
    const token = await signVoteToken(claims(), SECRET);
    const replacements = `${ALPHABET}.=+/ %`;
    let tried = 0;
    for (let i = 0; i < token.length; i++) {
      for (const ch of replacements) {
        if (ch === token[i]) continue;
        const changed = token.slice(0, i) + ch + token.slice(i + 1);
        const r = await verifyVoteToken(changed, SECRET, NOW);
        if (r.ok) throw new Error(`accepted a token changed at ${i} to ${JSON.stringify(ch)}`);
        expect(["forged", "malformed"]).toContain(r.reason);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(token.length * 60);
  });

  it("rejects every truncation and every single-character deletion or insertion", async () => {
    const token = await signVoteToken(claims(), SECRET);
    for (let i = 0; i < token.length; i++) {
      for (const changed of [token.slice(0, i), token.slice(0, i) + token.slice(i + 1), `${token.slice(0, i)}A${token.slice(i)}`]) {
        const r = await verifyVoteToken(changed, SECRET, NOW);
        if (r.ok) throw new Error(`accepted ${JSON.stringify(changed)}`);
      }
    }
    expect((await verifyVoteToken(`${token}A`, SECRET, NOW)).ok).toBe(false);
  });

  it("a vote swapped by re-encoding the payload without the key is forged", async () => {
    const token = await signVoteToken(claims({ vote: "reject" }), SECRET);
    const mac = token.split(".")[1];
    const payload = decodePayload(token);
    const swapped = `${encodePayload({ ...payload, vote: "approve" })}.${mac}`;
    expect(await verifyVoteToken(swapped, SECRET, NOW)).toEqual({ ok: false, reason: "forged" });
    const otherApprover = `${encodePayload({ ...payload, approver: "slack:U0ATTACKER" })}.${mac}`;
    expect(await verifyVoteToken(otherApprover, SECRET, NOW)).toEqual({ ok: false, reason: "forged" });
    const extended = `${encodePayload({ ...payload, expires_at: EXPIRES + 86_400_000 })}.${mac}`;
    expect(await verifyVoteToken(extended, SECRET, NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("two tokens' parts cannot be recombined", async () => {
    const approve = await signVoteToken(claims({ vote: "approve" }), SECRET);
    const reject = await signVoteToken(claims({ vote: "reject" }), SECRET);
    const mixed = `${approve.split(".")[0]}.${reject.split(".")[1]}`;
    expect(await verifyVoteToken(mixed, SECRET, NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("is expired at and after expires_at, valid just before", async () => {
    const token = await signVoteToken(claims(), SECRET);
    expect((await verifyVoteToken(token, SECRET, EXPIRES - 1)).ok).toBe(true);
    expect(await verifyVoteToken(token, SECRET, EXPIRES)).toEqual({ ok: false, reason: "expired" });
    expect(await verifyVoteToken(token, SECRET, EXPIRES + 1)).toEqual({ ok: false, reason: "expired" });
    expect(await verifyVoteToken(token, SECRET, EXPIRES + 365 * 86_400_000)).toEqual({ ok: false, reason: "expired" });
    expect(await verifyVoteToken(token, SECRET, Number.NaN)).toEqual({ ok: false, reason: "expired" });
  });

  it("checks the MAC before expiry: an expired forgery is forged, not expired", async () => {
    const token = await signVoteToken(claims(), SECRET);
    const forged = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect(await verifyVoteToken(forged, SECRET, EXPIRES + 1)).toEqual({ ok: false, reason: "forged" });
  });

  it("a token signed with another secret is forged", async () => {
    const token = await signVoteToken(claims(), OTHER_SECRET);
    expect(await verifyVoteToken(token, SECRET, NOW)).toEqual({ ok: false, reason: "forged" });
    // A MAC over the bare payload (no purpose prefix) under the right secret is forged too.
    const payload = token.split(".")[0] ?? "";
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const bare = b64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload))));
    expect(await verifyVoteToken(`${payload}.${bare}`, SECRET, NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("overlong and junk tokens are malformed", async () => {
    const token = await signVoteToken(claims(), SECRET);
    const junk = [
      "",
      ".",
      "abc",
      "abc.",
      ".abc",
      "a.b.c",
      `${token}.`,
      `${token}=`,
      `${token.split(".")[0]}.${"A".repeat(42)}`,
      `${token.split(".")[0]}.${"A".repeat(44)}`,
      `${token.split(".")[0]}==.${token.split(".")[1]}`,
      `ü${token}`,
      token.replace(/_/g, "/").replace(/-/g, "+") === token ? `${token} ` : token.replace(/_/g, "/").replace(/-/g, "+"),
      encodeURIComponent(`${token}/`),
      "null.null",
      "x".repeat(MAX_TOKEN_LENGTH + 1),
      `${"A".repeat(MAX_TOKEN_LENGTH - token.length + 1)}${token}`,
    ];
    for (const t of junk) {
      expect({ t, r: await verifyVoteToken(t, SECRET, NOW) }).toEqual({ t, r: { ok: false, reason: "malformed" } });
    }
  });

  it("refuses claims that are correctly signed but not strictly valid", async () => {
    const good = decodePayload(await signVoteToken(claims(), SECRET));
    const bad: unknown[] = [
      { ...good, extra: true },
      { ...good, vote: "abstain" },
      { ...good, expires_at: String(EXPIRES) },
      { ...good, expires_at: 1.5 },
      { ...good, nonce: "short" },
      { ...good, approver: "group:oncall" },
      { ...good, tenant: "Acme Corp" },
      Object.fromEntries(Object.entries(good).filter(([k]) => k !== "nonce")),
      [good],
      "approve",
      null,
    ];
    for (const value of bad) {
      const payload = encodePayload(value);
      const token = `${payload}.${await macFor(payload, SECRET)}`;
      expect(await verifyVoteToken(token, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
    }
    // Not JSON at all, and not UTF-8, under a valid MAC.
    for (const payload of [b64url(new TextEncoder().encode("{not json")), b64url(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]))]) {
      expect(await verifyVoteToken(`${payload}.${await macFor(payload, SECRET)}`, SECRET, NOW)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("refuses to sign claims it would not accept", async () => {
    await expect(signVoteToken(claims({ approver: "group:oncall" }), SECRET)).rejects.toThrow(TypeError);
    await expect(signVoteToken(claims({ nonce: "x" }), SECRET)).rejects.toThrow(TypeError);
    await expect(signVoteToken({ ...claims(), extra: 1 } as VoteClaims, SECRET)).rejects.toThrow(TypeError);
    await expect(signVoteToken(claims({ approval_id: "a".repeat(5000) }), SECRET)).rejects.toThrow(TypeError);
  });

  it("throws a 503 for a secret shorter than 32 bytes, signing and verifying alike", async () => {
    const token = await signVoteToken(claims(), SECRET);
    for (const secret of ["", "short", "x".repeat(31)]) {
      const signing = await signVoteToken(claims(), secret).then(
        () => null,
        (e: unknown) => e,
      );
      const verifying = await verifyVoteToken(token, secret, NOW).then(
        () => null,
        (e: unknown) => e,
      );
      for (const err of [signing, verifying]) {
        expect(err).toBeInstanceOf(ApiError);
        expect((err as ApiError).status).toBe(503);
      }
    }
    // The limit is in bytes: 16 two-byte characters are enough.
    const utf8Secret = "é".repeat(16);
    expect((await verifyVoteToken(await signVoteToken(claims(), utf8Secret), utf8Secret, NOW)).ok).toBe(true);
    expect((await verifyVoteToken(await signVoteToken(claims(), "x".repeat(32)), "x".repeat(32), NOW)).ok).toBe(true);
  });

  it("makes fresh 16-byte base64url nonces", () => {
    const nonces = new Set(Array.from({ length: 200 }, () => newNonce()));
    expect(nonces.size).toBe(200);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
