import { describe, expect, it } from "vitest";
import { backoffSeconds, parseSlackTargets, postToSlack, type SlackTarget } from "../../src/slack/deliver";

// Slack is a third party: these tests stand in for it with a fetch that answers
// each case and records the request it was sent. Inside workerd a test cannot
// listen on a socket, so this replaces the local server the conventions ask for.
type Answer = Response | Error | ((req: Request) => Promise<Response>);

function fakeSlack(answer: Answer) {
  const requests: Request[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    requests.push(req);
    if (answer instanceof Error) throw answer;
    return answer instanceof Response ? answer : answer(req);
  }) as typeof fetch;
  return { fetchFn, requests };
}

const WEBHOOK_URL = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX";
const webhook: SlackTarget = { kind: "webhook", url: WEBHOOK_URL };
const bot: SlackTarget = { kind: "bot", token: "xoxb-1234-5678-abcdef", channel: "C0LAN2Q65", apiBase: "https://slack.com/api" };
const message = {
  text: "Approval needed: db.migration.apply",
  blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Approval needed*" } }],
};
const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), { ...init, headers: { "content-type": "application/json", ...(init.headers ?? {}) } });

describe("postToSlack through an incoming webhook", () => {
  it("posts the message as JSON to the webhook URL and reports success on 200", async () => {
    const slack = fakeSlack(new Response("ok", { status: 200 }));
    expect(await postToSlack(webhook, message, slack.fetchFn)).toEqual({ kind: "ok" });
    expect(slack.requests).toHaveLength(1);
    const req = slack.requests[0] as Request;
    expect(req.url).toBe(WEBHOOK_URL);
    expect(req.method).toBe("POST");
    expect(req.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(req.headers.get("authorization")).toBeNull();
    expect(req.redirect).toBe("manual");
    expect(await req.json()).toEqual({ text: message.text, blocks: message.blocks });
  });

  it("sends every field of the body, so replace_original reaches an interaction's response_url", async () => {
    const slack = fakeSlack(new Response("ok", { status: 200 }));
    const responseUrl: SlackTarget = {
      kind: "webhook",
      url: "https://hooks.slack.com/actions/T9TK3CUKW/397700885554/96rGlfmibIGlgcZRskXaIFfN",
    };
    expect(await postToSlack(responseUrl, { ...message, replace_original: true }, slack.fetchFn)).toEqual({ kind: "ok" });
    expect(await slack.requests[0]?.json()).toEqual({ text: message.text, blocks: message.blocks, replace_original: true });
  });

  it("gives up on an expired response_url", async () => {
    const r = await postToSlack(webhook, message, fakeSlack(new Response("expired_url", { status: 404 })).fetchFn);
    expect(r).toEqual({ kind: "fail", reason: "Slack answered HTTP 404: expired_url" });
  });

  it("retries a 429 after Retry-After seconds", async () => {
    const slack = fakeSlack(new Response("rate_limited", { status: 429, headers: { "Retry-After": "7" } }));
    expect(await postToSlack(webhook, message, slack.fetchFn)).toEqual({
      kind: "retry",
      delaySeconds: 7,
      reason: "rate limited by Slack (HTTP 429)",
    });
  });

  it("retries a 429 after 30 s when Retry-After is missing or unreadable, and caps long waits at 900 s", async () => {
    const delay = async (headers: Record<string, string>) => {
      const r = await postToSlack(webhook, message, fakeSlack(new Response("", { status: 429, headers })).fetchFn);
      return r.kind === "retry" ? r.delaySeconds : r.kind;
    };
    expect(await delay({})).toBe(30);
    expect(await delay({ "Retry-After": "soon" })).toBe(30);
    expect(await delay({ "Retry-After": "-5" })).toBe(30);
    expect(await delay({ "Retry-After": "1.5" })).toBe(30);
    expect(await delay({ "Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT" })).toBe(30);
    expect(await delay({ "Retry-After": "3600" })).toBe(900);
    expect(await delay({ "Retry-After": "0" })).toBe(0);
  });

  it("retries a 5xx with the backoff of the attempt", async () => {
    const r1 = await postToSlack(webhook, message, fakeSlack(new Response("rollup_error", { status: 500 })).fetchFn);
    expect(r1).toEqual({ kind: "retry", delaySeconds: 2, reason: "Slack answered HTTP 500: rollup_error" });
    const r3 = await postToSlack(webhook, message, fakeSlack(new Response("", { status: 503 })).fetchFn, { attempt: 3 });
    expect(r3).toEqual({ kind: "retry", delaySeconds: 8, reason: "Slack answered HTTP 503" });
  });

  it("gives up on other 4xx: retrying would not change the answer", async () => {
    expect(await postToSlack(webhook, message, fakeSlack(new Response("invalid_blocks", { status: 400 })).fetchFn)).toEqual({
      kind: "fail",
      reason: "Slack answered HTTP 400: invalid_blocks",
    });
    expect(await postToSlack(webhook, message, fakeSlack(new Response("channel_is_archived", { status: 410 })).fetchFn)).toEqual({
      kind: "fail",
      reason: "Slack answered HTTP 410: channel_is_archived",
    });
  });

  it("does not follow a redirect", async () => {
    const slack = fakeSlack(new Response(null, { status: 302, headers: { location: "https://evil.example/collect" } }));
    expect(await postToSlack(webhook, message, slack.fetchFn)).toEqual({ kind: "fail", reason: "Slack answered HTTP 302" });
    expect(slack.requests).toHaveLength(1);
  });

  it("retries a network error with backoff, without putting the webhook URL in the reason", async () => {
    const lost = await postToSlack(webhook, message, fakeSlack(new TypeError("Network connection lost.")).fetchFn, { attempt: 2 });
    expect(lost).toEqual({ kind: "retry", delaySeconds: 4, reason: "network error: TypeError: Network connection lost." });
    const leaky = await postToSlack(webhook, message, fakeSlack(new Error(`connect ECONNREFUSED for ${WEBHOOK_URL}`)).fetchFn);
    expect(leaky.kind).toBe("retry");
    expect(JSON.stringify(leaky)).not.toContain("XXXXXXXX");
    expect(JSON.stringify(leaky)).toContain("[webhook url]");
  });

  it("gives up on a request that hangs and retries it later", async () => {
    const hanging = fakeSlack(
      (req) =>
        new Promise<Response>((_, reject) => {
          req.signal.addEventListener("abort", () => reject(req.signal.reason));
        }),
    );
    const r = await postToSlack(webhook, message, hanging.fetchFn, { timeoutMs: 20 });
    expect(r).toMatchObject({ kind: "retry", delaySeconds: 2 });
    expect(r.kind === "retry" ? r.reason : "").toMatch(/^network error: \w*(Timeout|Abort)\w*/);
  });
});

describe("postToSlack through the bot's chat.postMessage", () => {
  it("posts to chat.postMessage with the bearer token and channel, and returns ts and channel", async () => {
    const slack = fakeSlack(json({ ok: true, channel: "C0LAN2Q65", ts: "1503435956.000247", message: {} }));
    expect(await postToSlack(bot, message, slack.fetchFn)).toEqual({ kind: "ok", ts: "1503435956.000247", channel: "C0LAN2Q65" });
    const req = slack.requests[0] as Request;
    expect(req.url).toBe("https://slack.com/api/chat.postMessage");
    expect(req.method).toBe("POST");
    expect(req.headers.get("authorization")).toBe("Bearer xoxb-1234-5678-abcdef");
    expect(req.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await req.json()).toEqual({ channel: "C0LAN2Q65", text: message.text, blocks: message.blocks });
  });

  it("posts to the configured channel even if the body names another", async () => {
    const slack = fakeSlack(json({ ok: true }));
    const sneaky = { ...message, channel: "C_OTHER" } as typeof message;
    await postToSlack(bot, sneaky, slack.fetchFn);
    expect(await slack.requests[0]?.json()).toMatchObject({ channel: "C0LAN2Q65" });
  });

  it("uses the configured API base, with or without a trailing slash", async () => {
    const slack = fakeSlack(async () => json({ ok: true }));
    await postToSlack({ ...bot, apiBase: "http://127.0.0.1:9999/api/" }, message, slack.fetchFn);
    expect(slack.requests[0]?.url).toBe("http://127.0.0.1:9999/api/chat.postMessage");
  });

  it("treats a 200 with ok:false as a permanent failure", async () => {
    const r = await postToSlack(bot, message, fakeSlack(json({ ok: false, error: "channel_not_found" })).fetchFn);
    expect(r).toEqual({ kind: "fail", reason: "Slack Web API error: channel_not_found" });
  });

  it("retries ok:false with error ratelimited, honouring Retry-After", async () => {
    const withHeader = await postToSlack(
      bot,
      message,
      fakeSlack(json({ ok: false, error: "ratelimited" }, { headers: { "Retry-After": "12" } })).fetchFn,
    );
    expect(withHeader).toEqual({ kind: "retry", delaySeconds: 12, reason: "rate limited by Slack (ratelimited)" });
    const without = await postToSlack(bot, message, fakeSlack(json({ ok: false, error: "ratelimited" })).fetchFn);
    expect(without).toEqual({ kind: "retry", delaySeconds: 30, reason: "rate limited by Slack (ratelimited)" });
  });

  it("retries the Web API's HTTP 429", async () => {
    const r = await postToSlack(
      bot,
      message,
      fakeSlack(json({ ok: false, error: "ratelimited" }, { status: 429, headers: { "Retry-After": "7" } })).fetchFn,
    );
    expect(r).toEqual({ kind: "retry", delaySeconds: 7, reason: "rate limited by Slack (HTTP 429)" });
  });

  it("retries a 2xx whose body is not the Web API's JSON (a proxy's error page)", async () => {
    const r = await postToSlack(bot, message, fakeSlack(new Response("<html>maintenance</html>", { status: 200 })).fetchFn, { attempt: 4 });
    expect(r).toEqual({ kind: "retry", delaySeconds: 16, reason: "Slack Web API answered 2xx with an unreadable body" });
  });

  it("never puts the token in a reason", async () => {
    const echo = fakeSlack(async (req) => new Response(`bad token ${req.headers.get("authorization")}`, { status: 401 }));
    const r = await postToSlack(bot, message, echo.fetchFn);
    expect(r).toEqual({ kind: "fail", reason: "Slack answered HTTP 401: bad token Bearer [token]" });
  });
});

describe("backoffSeconds", () => {
  it("doubles from 2 s and stops at 300 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100].map(backoffSeconds)).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
  });

  it("treats odd attempt numbers sensibly", () => {
    expect(backoffSeconds(0)).toBe(2);
    expect(backoffSeconds(-3)).toBe(2);
    expect(backoffSeconds(Number.NaN)).toBe(2);
    expect(backoffSeconds(2.7)).toBe(4);
    expect(backoffSeconds(Number.POSITIVE_INFINITY)).toBe(300);
  });
});

describe("parseSlackTargets", () => {
  it("reads webhook and bot targets per tenant", () => {
    const targets = parseSlackTargets(
      JSON.stringify({
        acme: { webhook_url: "https://hooks.slack.com/services/T1/B1/abc" },
        other: { bot_token: "xoxb-123-456-abc", channel: "C123" },
      }),
    );
    expect([...targets.entries()]).toEqual([
      ["acme", { kind: "webhook", url: "https://hooks.slack.com/services/T1/B1/abc" }],
      ["other", { kind: "bot", token: "xoxb-123-456-abc", channel: "C123", apiBase: "https://slack.com/api" }],
    ]);
  });

  it("takes the API base from its argument, and allows plain http only to localhost", () => {
    const targets = parseSlackTargets(
      JSON.stringify({ t: { bot_token: "xoxb-1", channel: "C123" }, w: { webhook_url: "http://127.0.0.1:8788/hook" } }),
      "http://localhost:8788/api",
    );
    expect(targets.get("t")).toEqual({ kind: "bot", token: "xoxb-1", channel: "C123", apiBase: "http://localhost:8788/api" });
    expect(targets.get("w")).toEqual({ kind: "webhook", url: "http://127.0.0.1:8788/hook" });
    expect(() => parseSlackTargets("{}", "http://slack.example.com/api")).toThrow(/https/);
    const blank = parseSlackTargets(JSON.stringify({ t: { bot_token: "xoxb-1", channel: "C123" } }), "");
    expect(blank.get("t")).toMatchObject({ apiBase: "https://slack.com/api" });
  });

  it("reads an unset or blank secret as no Slack at all", () => {
    expect(parseSlackTargets(undefined).size).toBe(0);
    expect(parseSlackTargets("  ").size).toBe(0);
    expect(parseSlackTargets("{}").size).toBe(0);
  });

  it("throws a clear error on bad JSON, without quoting the secret", () => {
    const secret = '{"acme": {"bot_token": "xoxb-very-secret-token", "channel": "C1"';
    expect(() => parseSlackTargets(secret)).toThrow("SLACK_TARGETS is not valid JSON");
    try {
      parseSlackTargets(secret);
    } catch (e) {
      expect(String(e)).not.toContain("very-secret");
    }
  });

  it("throws naming the tenant and field on a bad shape, without quoting the values", () => {
    const bad = (value: unknown) => () => parseSlackTargets(JSON.stringify(value));
    expect(bad([])).toThrow(/must be a JSON object/);
    expect(bad({ acme: "https://hooks.slack.com/x" })).toThrow('SLACK_TARGETS["acme"] must be an object');
    expect(bad({ acme: {} })).toThrow(/SLACK_TARGETS\["acme"\] must have either webhook_url, or bot_token and channel/);
    expect(bad({ acme: { webhook_url: "https://hooks.slack.com/x", bot_token: "xoxb-1", channel: "C1" } })).toThrow(/not both/);
    expect(bad({ acme: { webhook_url: "http://hooks.slack.com/x" } })).toThrow(/SLACK_TARGETS\["acme"\]: webhook_url must be an https URL/);
    expect(bad({ acme: { webhook_url: "hooks.slack.com/x" } })).toThrow(/webhook_url/);
    expect(bad({ acme: { bot_token: "xoxb-1" } })).toThrow(/SLACK_TARGETS\["acme"\]: channel/);
    expect(bad({ acme: { bot_token: "xoxb-1", channel: "#approvals" } })).toThrow(/channel must be a channel ID/);
    expect(bad({ acme: { bot_token: "xoxb-1", channel: "C1", chanel: "C2" } })).toThrow(/chanel/);
    expect(bad({ acme: { webhook_url: 42 } })).toThrow(/webhook_url/);
    let message = "";
    try {
      parseSlackTargets(JSON.stringify({ acme: { bot_token: "not-a-token-but-secret", channel: "C1" } }));
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/SLACK_TARGETS\["acme"\]: bot_token must be a Slack token/);
    expect(message).not.toContain("not-a-token-but-secret");
  });
});
