import { describe, expect, it } from "vitest";
import { verifySlackSignature } from "../../src/slack/signature";

// Slack's published example ("Verifying requests from Slack"; the same vector is
// in Slack's own SDK tests, slackapi/python-slack-sdk test_signature_verifier.py).
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TIMESTAMP = 1531420618;
const BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

const bytes = (s: string) => new TextEncoder().encode(s);

function slackHeaders(timestamp: string | null, signature: string | null): Headers {
  const h = new Headers({ "content-type": "application/x-www-form-urlencoded" });
  if (timestamp !== null) h.set("X-Slack-Request-Timestamp", timestamp);
  if (signature !== null) h.set("X-Slack-Signature", signature);
  return h;
}

/** Signs like Slack does, to make fresh requests at other timestamps. */
async function sign(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", bytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes(`v0:${timestamp}:${body}`)));
  return `v0=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

describe("verifySlackSignature", () => {
  it("accepts Slack's published example", async () => {
    const result = await verifySlackSignature(bytes(BODY), slackHeaders(String(TIMESTAMP), SIGNATURE), SECRET, TIMESTAMP);
    expect(result).toEqual({ ok: true });
  });

  it("accepts the body as an ArrayBuffer and as a view into a larger buffer", async () => {
    const headers = slackHeaders(String(TIMESTAMP), SIGNATURE);
    const exact = bytes(BODY);
    expect(await verifySlackSignature(exact.buffer as ArrayBuffer, headers, SECRET, TIMESTAMP)).toEqual({ ok: true });
    const padded = bytes(`xx${BODY}yy`);
    expect(await verifySlackSignature(padded.subarray(2, 2 + exact.length), headers, SECRET, TIMESTAMP)).toEqual({ ok: true });
  });

  it("reads the headers case-insensitively, as Slack may send them in lower case", async () => {
    const headers = new Headers({ "x-slack-request-timestamp": String(TIMESTAMP), "x-slack-signature": SIGNATURE });
    expect(await verifySlackSignature(bytes(BODY), headers, SECRET, TIMESTAMP)).toEqual({ ok: true });
  });

  it("rejects the example with a different token in the body (the variant quoted in the task brief)", async () => {
    const variant = BODY.replace("token=xyzz0WbapA4vBCDEFasx0q6G", "token=xyzz0WbapA4vBCDEbOTGi9pBS6wFrRKE");
    const result = await verifySlackSignature(bytes(variant), slackHeaders(String(TIMESTAMP), SIGNATURE), SECRET, TIMESTAMP);
    expect(result).toEqual({ ok: false, reason: "signature does not match the request body and timestamp" });
  });

  it("rejects a body with one byte changed, wherever it is", async () => {
    const headers = slackHeaders(String(TIMESTAMP), SIGNATURE);
    for (const at of [0, 100, BODY.length - 1]) {
      const tampered = bytes(BODY);
      tampered[at] = (tampered[at] as number) ^ 0x01;
      const result = await verifySlackSignature(tampered, headers, SECRET, TIMESTAMP);
      expect(result, `byte ${at}`).toEqual({ ok: false, reason: "signature does not match the request body and timestamp" });
    }
  });

  it("rejects a signature made with another secret, or with one hex digit changed", async () => {
    const other = await sign("not-the-secret", TIMESTAMP, BODY);
    expect((await verifySlackSignature(bytes(BODY), slackHeaders(String(TIMESTAMP), other), SECRET, TIMESTAMP)).ok).toBe(false);
    const flipped = `${SIGNATURE.slice(0, -1)}${SIGNATURE.endsWith("3") ? "4" : "3"}`;
    expect((await verifySlackSignature(bytes(BODY), slackHeaders(String(TIMESTAMP), flipped), SECRET, TIMESTAMP)).ok).toBe(false);
  });

  it("rejects a replayed request: the timestamp is part of what is signed", async () => {
    const result = await verifySlackSignature(bytes(BODY), slackHeaders(String(TIMESTAMP + 60), SIGNATURE), SECRET, TIMESTAMP + 60);
    expect(result).toEqual({ ok: false, reason: "signature does not match the request body and timestamp" });
  });

  it("rejects a timestamp 301 s in the past even with a valid signature, and accepts 300 s", async () => {
    const headers = slackHeaders(String(TIMESTAMP), SIGNATURE);
    expect(await verifySlackSignature(bytes(BODY), headers, SECRET, TIMESTAMP + 301)).toEqual({
      ok: false,
      reason: "request timestamp is more than 300 s in the past",
    });
    expect(await verifySlackSignature(bytes(BODY), headers, SECRET, TIMESTAMP + 300)).toEqual({ ok: true });
  });

  it("rejects a timestamp 301 s in the future even with a valid signature, and accepts 300 s", async () => {
    const headers = slackHeaders(String(TIMESTAMP), SIGNATURE);
    expect(await verifySlackSignature(bytes(BODY), headers, SECRET, TIMESTAMP - 301)).toEqual({
      ok: false,
      reason: "request timestamp is more than 300 s in the future",
    });
    expect(await verifySlackSignature(bytes(BODY), headers, SECRET, TIMESTAMP - 300)).toEqual({ ok: true });
  });

  it("accepts a freshly signed request at the current time", async () => {
    const now = 1_790_000_000;
    const body = 'payload={"type":"block_actions"}';
    const headers = slackHeaders(String(now), await sign(SECRET, now, body));
    expect(await verifySlackSignature(bytes(body), headers, SECRET, now + 5)).toEqual({ ok: true });
  });

  it("rejects missing headers", async () => {
    expect(await verifySlackSignature(bytes(BODY), slackHeaders(null, SIGNATURE), SECRET, TIMESTAMP)).toEqual({
      ok: false,
      reason: "missing X-Slack-Request-Timestamp header",
    });
    expect(await verifySlackSignature(bytes(BODY), slackHeaders(String(TIMESTAMP), null), SECRET, TIMESTAMP)).toEqual({
      ok: false,
      reason: "missing X-Slack-Signature header",
    });
  });

  it("rejects a malformed signature header", async () => {
    const hex = SIGNATURE.slice(3);
    for (const bad of [
      "",
      hex,
      `v1=${hex}`,
      `v0=${hex.toUpperCase()}`,
      `v0=${hex.slice(2)}`,
      `v0=${hex}00`,
      `v0= ${hex}`,
      `v0=${hex},v0=${hex}`,
    ]) {
      const result = await verifySlackSignature(bytes(BODY), slackHeaders(String(TIMESTAMP), bad), SECRET, TIMESTAMP);
      expect(result, JSON.stringify(bad)).toEqual({
        ok: false,
        reason: "malformed X-Slack-Signature header (expected v0= and 64 lowercase hex digits)",
      });
    }
  });

  it("rejects a timestamp that is not a whole number of seconds", async () => {
    for (const bad of ["", "soon", "1531420618.5", "-1531420618", "+1531420618", "1.5e9", "0x5b47cb4a", "1_531_420_618"]) {
      const result = await verifySlackSignature(bytes(BODY), slackHeaders(bad, SIGNATURE), SECRET, TIMESTAMP);
      expect(result, JSON.stringify(bad)).toEqual({ ok: false, reason: "X-Slack-Request-Timestamp is not a whole number of seconds" });
    }
  });

  it("fails closed without a signing secret", async () => {
    const result = await verifySlackSignature(bytes(BODY), slackHeaders(String(TIMESTAMP), SIGNATURE), "", TIMESTAMP);
    expect(result).toEqual({ ok: false, reason: "no Slack signing secret is configured" });
  });
});
