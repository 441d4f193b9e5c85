/**
 * Delivery of a message to Slack, as the queue consumer does it, with the
 * decision the consumer needs: done, try again later (and when), or give up
 * (the message goes to the dead-letter queue). Kept free of Queues so that it
 * can be tested alone; `fetchFn` is the only way out.
 */
import { z } from "zod";

export type SlackTarget = { kind: "webhook"; url: string } | { kind: "bot"; token: string; channel: string; apiBase: string };

export type DeliveryResult =
  | { kind: "ok"; ts?: string; channel?: string }
  | { kind: "retry"; delaySeconds: number; reason: string }
  | { kind: "fail"; reason: string };

export const DEFAULT_SLACK_API_BASE = "https://slack.com/api";

/** Wait when Slack says "slow down" without saying for how long. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;
/** Longest wait we honour from `Retry-After`: beyond it, the approval may expire before the message lands anyway. */
export const MAX_RETRY_AFTER_SECONDS = 900;
/** Longest backoff after a server or network error. */
export const MAX_BACKOFF_SECONDS = 300;
/** A hung connection must not hold the consumer until the platform kills it. */
const DEFAULT_TIMEOUT_MS = 15_000;
/** How much of an error body goes into a reason (it ends up in logs and the dead-letter queue). */
const REASON_BODY_MAX = 200;

/**
 * Backoff after a 5xx or a network error: 2, 4, 8, … seconds, capped at
 * {@link MAX_BACKOFF_SECONDS}. Deterministic so that it can be tested; the
 * spread comes from messages failing at different times.
 *
 * @param attempt the delivery attempt that just failed, from 1 (Queues' `message.attempts`); anything below 1 counts as 1
 */
export function backoffSeconds(attempt: number): number {
  const n = Number.isNaN(attempt) ? 1 : Math.max(1, Math.floor(attempt));
  // 2 ** 9 = 512 is already over the cap; stopping there keeps the arithmetic exact.
  return Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.min(n, 9));
}

/**
 * Posts a message to Slack, through an incoming webhook or the bot's `chat.postMessage`.
 *
 * 2xx is delivered (for the Web API: `ok: true` in the body); 429, or the Web
 * API's `ratelimited`, is retried after `Retry-After`; 5xx and network errors
 * are retried with {@link backoffSeconds}; any other answer is permanent.
 * Reasons never contain the webhook URL or the token.
 *
 * @param target where to post (from {@link parseSlackTargets})
 * @param body the message (`text` fallback and Block Kit `blocks`); other fields, such as
 *   `replace_original` for an interaction's `response_url`, are sent as they are
 * @param fetchFn the fetch to use (the global `fetch` in production)
 * @param options.attempt which attempt this is, from 1, for the backoff
 * @param options.timeoutMs give up on a request after this long (default 15 s) and retry
 */
export async function postToSlack(
  target: SlackTarget,
  body: { text: string; blocks: unknown[]; replace_original?: boolean },
  fetchFn: typeof fetch,
  options: { attempt?: number; timeoutMs?: number } = {},
): Promise<DeliveryResult> {
  const attempt = options.attempt ?? 1;
  const url = target.kind === "webhook" ? target.url : `${target.apiBase.replace(/\/+$/, "")}/chat.postMessage`;
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (target.kind === "bot") headers.authorization = `Bearer ${target.token}`;
  // The whole body goes out, so that `replace_original` reaches a response_url;
  // a bot posts to its configured channel whatever the body says.
  const payload = target.kind === "bot" ? { ...body, channel: target.channel } : body;

  let response: Response;
  try {
    response = await fetchFn(url, {
      method: "POST",
      headers,
      body: JSON.stringify(payload),
      // Slack does not redirect these endpoints; following one would send the
      // token or the message somewhere we did not choose.
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (err) {
    const delaySeconds = backoffSeconds(attempt);
    return { kind: "retry", delaySeconds, reason: `network error: ${redact(errorText(err), target)}` };
  }

  const status = response.status;
  if (status === 429) {
    await discard(response);
    return { kind: "retry", delaySeconds: retryAfterSeconds(response.headers), reason: "rate limited by Slack (HTTP 429)" };
  }
  if (status >= 500) {
    const text = await bodyText(response, target);
    return { kind: "retry", delaySeconds: backoffSeconds(attempt), reason: `Slack answered HTTP ${status}${text ? `: ${text}` : ""}` };
  }
  if (status < 200 || status >= 300) {
    const text = await bodyText(response, target);
    return { kind: "fail", reason: `Slack answered HTTP ${status}${text ? `: ${text}` : ""}` };
  }

  if (target.kind === "webhook") {
    // Incoming webhooks answer 200 "ok"; their errors come as 4xx/5xx, handled above.
    await discard(response);
    return { kind: "ok" };
  }

  // The Web API answers 200 even when it refuses, with `ok: false` and an error code.
  const parsed = webApiAnswer.safeParse(await response.json().catch(() => null));
  if (!parsed.success) {
    // We cannot tell whether the message was posted; posting it twice is a smaller
    // harm than approvers never hearing of the approval.
    return { kind: "retry", delaySeconds: backoffSeconds(attempt), reason: "Slack Web API answered 2xx with an unreadable body" };
  }
  const answer = parsed.data;
  if (answer.ok) {
    return {
      kind: "ok",
      ...(answer.ts !== undefined ? { ts: answer.ts } : {}),
      ...(answer.channel !== undefined ? { channel: answer.channel } : {}),
    };
  }
  const error = answer.error ?? "unknown_error";
  if (error === "ratelimited") {
    return { kind: "retry", delaySeconds: retryAfterSeconds(response.headers), reason: "rate limited by Slack (ratelimited)" };
  }
  return { kind: "fail", reason: `Slack Web API error: ${error.slice(0, REASON_BODY_MAX)}` };
}

const webApiAnswer = z.object({
  ok: z.boolean(),
  error: z.string().optional(),
  ts: z.string().optional(),
  channel: z.string().optional(),
});

/** `Retry-After` in whole seconds; missing or unreadable means the default, and long waits are capped. */
function retryAfterSeconds(headers: Headers): number {
  const raw = headers.get("retry-after")?.trim();
  if (raw === undefined || !/^[0-9]{1,10}$/.test(raw)) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Number(raw));
}

async function bodyText(response: Response, target: SlackTarget): Promise<string> {
  const text = await response.text().catch(() => "");
  return redact(text.trim(), target).slice(0, REASON_BODY_MAX);
}

async function discard(response: Response): Promise<void> {
  // Reading (or cancelling) the body releases the connection in workerd.
  await response.body?.cancel().catch(() => undefined);
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, REASON_BODY_MAX);
  return String(err).slice(0, REASON_BODY_MAX);
}

/** The webhook URL is itself a credential, as is the bot token: neither may end up in a log line. */
function redact(text: string, target: SlackTarget): string {
  const secret = target.kind === "webhook" ? target.url : target.token;
  return text.split(secret).join(target.kind === "webhook" ? "[webhook url]" : "[token]");
}

// --- configuration ---------------------------------------------------------

/** Plain http is allowed only to this machine, for local development and tests. */
function isAllowedUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

const urlSchema = z.string().refine(isAllowedUrl, { message: "must be an https URL (plain http only to localhost)" });

const webhookSchema = z.strictObject({ webhook_url: urlSchema });
const botSchema = z.strictObject({
  bot_token: z.string().regex(/^(?:xoxe\.)?xox[bp]-[A-Za-z0-9-]+$/, { message: "must be a Slack token (xoxb-…)" }),
  channel: z.string().regex(/^[CGD][A-Z0-9]{2,}$/, { message: "must be a channel ID such as C0123456789" }),
});

/**
 * Reads the `SLACK_TARGETS` secret: one Slack destination per tenant, either an
 * incoming webhook (`{"webhook_url": "https://hooks.slack.com/..."}`) or a bot
 * (`{"bot_token": "xoxb-...", "channel": "C123"}`).
 *
 * @param json the secret's value; unset or blank means no tenant has Slack
 * @param apiBase the Slack Web API base URL for bot targets (tests point it elsewhere); unset or blank means the default
 * @returns tenant → target
 * @throws Error naming the offending tenant and field; the message never contains a secret
 */
export function parseSlackTargets(json: string | undefined, apiBase?: string): Map<string, SlackTarget> {
  const targets = new Map<string, SlackTarget>();
  if (json === undefined || json.trim() === "") return targets;
  // An optional variable arrives as undefined or "" depending on how it was (not) set.
  apiBase = apiBase === undefined || apiBase.trim() === "" ? DEFAULT_SLACK_API_BASE : apiBase;
  if (!isAllowedUrl(apiBase)) throw new Error("Slack API base must be an https URL (plain http only to localhost)");

  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    // The parser's message quotes the input, which holds tokens: say only what is wrong.
    throw new Error("SLACK_TARGETS is not valid JSON");
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new Error('SLACK_TARGETS must be a JSON object of tenant → {"webhook_url": …} or {"bot_token": …, "channel": …}');
  }

  for (const [tenant, entry] of Object.entries(data)) {
    const where = `SLACK_TARGETS[${JSON.stringify(tenant.slice(0, 100))}]`;
    if (tenant.length === 0) throw new Error("SLACK_TARGETS has an empty tenant name");
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      throw new Error(`${where} must be an object with webhook_url, or bot_token and channel`);
    }
    const isWebhook = "webhook_url" in entry;
    const isBot = "bot_token" in entry || "channel" in entry;
    if (isWebhook === isBot) throw new Error(`${where} must have either webhook_url, or bot_token and channel (not both, not neither)`);

    if (isWebhook) {
      const r = webhookSchema.safeParse(entry);
      if (!r.success) throw new Error(`${where}: ${issues(r.error)}`);
      targets.set(tenant, { kind: "webhook", url: r.data.webhook_url });
    } else {
      const r = botSchema.safeParse(entry);
      if (!r.success) throw new Error(`${where}: ${issues(r.error)}`);
      targets.set(tenant, { kind: "bot", token: r.data.bot_token, channel: r.data.channel, apiBase });
    }
  }
  return targets;
}

// zod's messages name the field and the rule, never the value, so they are safe to show.
function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join(".") : "(entry)"} ${i.message}`).join("; ");
}
