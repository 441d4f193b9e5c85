import { drizzle } from "drizzle-orm/d1";
import { approvalStub } from "../approvals/api";
import type { Notification } from "../approvals/approval-object";
import type { ApprovalView } from "../approvals/types";
import { deadLetters } from "../audit/schema";
import { backoffSeconds, type DeliveryResult, parseSlackTargets, postToSlack } from "../slack/deliver";
import { approvalMessage, outcomeMessage } from "../slack/messages";

/**
 * The notification queue's consumer: Slack messages for new approvals and
 * their outcomes, and signed callbacks to a job's `callback_url`. A message is
 * acknowledged only once the other side answered 2xx (or there is nothing to
 * send); 429 and 5xx are retried with backoff (honouring Retry-After); a
 * permanent refusal goes to the dead-letter queue at once, and a message that
 * exhausts its retries goes there by the queue's own configuration.
 */
/**
 * The last attempt (wrangler.toml's max_retries = 5, so 6 deliveries): a
 * retryable failure then goes to the dead-letter queue with its reason rather
 * than being retried once more.
 */
export const MAX_ATTEMPTS = 6;

export async function consumeNotifications(batch: MessageBatch<Notification>, env: Env, fetchFn: typeof fetch = fetch): Promise<void> {
  for (const msg of batch.messages) {
    let result: DeliveryResult;
    try {
      result = await deliver(msg.body, msg.attempts, env, fetchFn);
    } catch (e) {
      console.error("notification failed", msg.body.kind, e);
      result = { kind: "retry", delaySeconds: backoffSeconds(msg.attempts), reason: String(e) };
    }
    if (result.kind === "retry" && msg.attempts >= MAX_ATTEMPTS)
      result = { kind: "fail", reason: `gave up after ${msg.attempts} attempts: ${result.reason}` };
    if (result.kind === "ok") msg.ack();
    else if (result.kind === "retry") msg.retry({ delaySeconds: result.delaySeconds });
    else {
      console.error("notification refused for good; to the dead-letter queue", msg.body.kind, result.reason);
      await env.NOTIFY_DLQ.send({ ...msg.body, error: result.reason });
      msg.ack();
    }
  }
}

async function deliver(n: Notification, attempt: number, env: Env, fetchFn: typeof fetch): Promise<DeliveryResult> {
  const approval = await approvalStub(env, n.approval_id).view(n.tenant);
  if (!approval) return { kind: "fail", reason: `approval ${n.approval_id} of tenant ${n.tenant} does not exist` };
  if (n.kind === "callback") return callback(n.url, approval, attempt, env, fetchFn);

  const target = parseSlackTargets(env.SLACK_TARGETS, env.SLACK_API_BASE).get(n.tenant);
  if (n.kind === "slack.outcome" && n.response_url) {
    // Replace the message the vote came from (Slack's response_url takes a plain POST).
    return postToSlack({ kind: "webhook", url: n.response_url }, outcomeMessage(approval), fetchFn, { attempt });
  }
  if (!target) return { kind: "ok" }; // this tenant has no Slack configured: nothing to send
  const message = n.kind === "slack.request" && approval.status === "pending" ? approvalMessage(approval, {}) : outcomeMessage(approval);
  const r = await postToSlack(target, message, fetchFn, { attempt });
  if (r.kind === "ok" && n.kind === "slack.request" && r.channel && r.ts)
    await approvalStub(env, n.approval_id).postedToSlack(n.tenant, r.channel, r.ts);
  return r;
}

/** POST the outcome to the job's callback_url, signed: `cordon-signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
async function callback(url: string, a: ApprovalView, attempt: number, env: Env, fetchFn: typeof fetch): Promise<DeliveryResult> {
  const body = JSON.stringify({
    type: "approval.resolved",
    job_id: a.job_id,
    approval_id: a.id,
    status: a.status,
    outcome: a.outcome,
    resolved_at: a.resolved_at,
  });
  const t = Math.floor(Date.now() / 1000);
  const signature = await hmacHex(env.CALLBACK_SIGNING_SECRET, `${t}.${body}`);
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/json", "cordon-signature": `t=${t},v1=${signature}` },
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    return { kind: "retry", delaySeconds: backoffSeconds(attempt), reason: `callback unreachable: ${(e as Error).message}` };
  }
  await res.body?.cancel();
  if (res.ok) return { kind: "ok" };
  if (res.status === 429) {
    const after = Number(res.headers.get("retry-after"));
    return {
      kind: "retry",
      delaySeconds: Number.isFinite(after) && after > 0 ? Math.min(after, 900) : 30,
      reason: "callback rate limited",
    };
  }
  if (res.status >= 500) return { kind: "retry", delaySeconds: backoffSeconds(attempt), reason: `callback answered ${res.status}` };
  return { kind: "fail", reason: `callback answered ${res.status}` };
}

/** HMAC-SHA256, hex. Exported for the tests that check callbacks' signatures. */
export async function hmacHex(secret: string, data: string): Promise<string> {
  if (!secret) throw new Error("CALLBACK_SIGNING_SECRET is not set");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The dead-letter queue's consumer: keep every message in D1 so nothing is dropped silently. */
export async function consumeDeadLetters(batch: MessageBatch<Notification & { error?: string }>, env: Env): Promise<void> {
  const at = new Date().toISOString();
  await drizzle(env.DB)
    .insert(deadLetters)
    .values(
      batch.messages.map((m) => ({ id: m.id, tenant: m.body.tenant ?? null, at, message: JSON.stringify(m.body), attempts: m.attempts })),
    )
    .onConflictDoNothing();
  batch.ackAll();
}
