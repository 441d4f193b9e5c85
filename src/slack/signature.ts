/**
 * Verification of Slack's request signatures (scheme `v0`).
 *
 * Slack signs every request it sends us (button clicks included) with
 * HMAC-SHA256 over `v0:<X-Slack-Request-Timestamp>:<raw body>`, keyed with the
 * app's signing secret, and sends `v0=<hex>` in `X-Slack-Signature`. This module
 * is the only place that decides whether a request really comes from Slack, so
 * it is kept small enough to be reviewed alone: it works on the raw bytes
 * (parsing first and re-serialising would change them), it fails closed on
 * anything missing or odd, and it compares MACs in constant time.
 */

/** How far the request timestamp may be from our clock, either way (Slack's own recommendation). */
export const MAX_SKEW_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
const SIGNATURE_HEADER = "X-Slack-Signature";
// Slack sends lowercase hex; anything else is not a v0 signature we can check.
const SIGNATURE_RE = /^v0=([0-9a-f]{64})$/;
// Whole seconds only: "1531420618.5", "+1531420618" or "1e9" are not what Slack sends.
const TIMESTAMP_RE = /^[0-9]{1,15}$/;

const encoder = new TextEncoder();

/**
 * Checks that a request was signed by Slack with `signingSecret` and is fresh.
 *
 * @param rawBody the request body exactly as received (`await request.arrayBuffer()`), before any parsing
 * @param headers the request headers (names are case-insensitive)
 * @param signingSecret the Slack app's signing secret; an empty one fails closed
 * @param nowSec the current time in Unix seconds (a parameter so that tests need no clock)
 * @returns `{ ok: true }`, or `{ ok: false, reason }` saying in plain words what is wrong
 */
export async function verifySlackSignature(
  rawBody: ArrayBuffer | Uint8Array,
  headers: Headers,
  signingSecret: string,
  nowSec: number,
): Promise<SignatureCheck> {
  if (signingSecret.length === 0) return fail("no Slack signing secret is configured");
  if (!Number.isFinite(nowSec)) return fail("the current time is unknown");

  const timestamp = headers.get(TIMESTAMP_HEADER);
  if (timestamp === null) return fail(`missing ${TIMESTAMP_HEADER} header`);
  if (!TIMESTAMP_RE.test(timestamp)) return fail(`${TIMESTAMP_HEADER} is not a whole number of seconds`);

  const signature = headers.get(SIGNATURE_HEADER);
  if (signature === null) return fail(`missing ${SIGNATURE_HEADER} header`);
  const match = SIGNATURE_RE.exec(signature);
  if (match === null) return fail(`malformed ${SIGNATURE_HEADER} header (expected v0= and 64 lowercase hex digits)`);

  // Checked before the MAC so that a replayed request is refused for being old,
  // whatever its signature: a captured request stays valid for only 5 minutes.
  const skew = nowSec - Number(timestamp);
  if (skew > MAX_SKEW_SECONDS) return fail(`request timestamp is more than ${MAX_SKEW_SECONDS} s in the past`);
  if (skew < -MAX_SKEW_SECONDS) return fail(`request timestamp is more than ${MAX_SKEW_SECONDS} s in the future`);

  const body = rawBody instanceof Uint8Array ? rawBody : new Uint8Array(rawBody);
  const prefix = encoder.encode(`v0:${timestamp}:`);
  const base = new Uint8Array(prefix.length + body.length);
  base.set(prefix, 0);
  base.set(body, prefix.length);

  const key = await crypto.subtle.importKey("raw", encoder.encode(signingSecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const expected = new Uint8Array(await crypto.subtle.sign("HMAC", key, base));
  const presented = hexToBytes(match[1] as string);
  if (!constantTimeEqual(expected, presented)) return fail("signature does not match the request body and timestamp");
  return { ok: true };
}

function fail(reason: string): SignatureCheck {
  return { ok: false, reason };
}

/** Both arrays are 32 bytes here (the regex fixes the length); the loop never exits early. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
