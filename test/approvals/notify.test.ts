import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Notification } from "../../src/approvals/approval-object";
import { consumeNotifications, hmacHex } from "../../src/notify/consumer";
import { call, createKey, json } from "../support/http";

const standIn = (env as unknown as { STAND_IN_URL: string }).STAND_IN_URL;
const UNCLASSIFIED = {
  capability: "shell.exec",
  risk_tags: ["unclassified"],
  action: { kind: "shell", command: "$DEPLOY_STEP --target x.example" },
};

interface Seen {
  path: string;
  body: string;
}
async function seen(prefix: string): Promise<Seen[]> {
  return (await fetch(`${standIn}/__requests?prefix=${encodeURIComponent(prefix)}`)).json();
}
async function eventually<T>(f: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function newApproval(tenant: string): Promise<string> {
  const agent = await createKey(tenant, "agent");
  const r = await json<{ approval: { id: string } }>(await call("/v1/evaluate", { key: agent, body: { job: UNCLASSIFIED } }));
  return r.approval.id;
}

describe("notifications", () => {
  it("a new approval reaches the tenant's Slack webhook through the real queue, with the command and tags", async () => {
    const id = await newApproval("slack-webhook");
    const msg = await eventually(async () => (await seen("/ok/webhook")).find((r) => r.body.includes(id)));
    const body = JSON.parse(msg.body) as { text: string; blocks: unknown[] };
    expect(JSON.stringify(body.blocks)).toContain("$DEPLOY_STEP --target x.example");
    expect(JSON.stringify(body.blocks)).toContain("unclassified");
    expect(JSON.stringify(body.blocks)).toContain("cordon_approve");
  });

  it("the job's callback_url gets a signed POST when its approval resolves", async () => {
    const tenant = "notify-callback";
    const agent = await createKey(tenant, "agent");
    const approver = await createKey(tenant, "approver");
    const marker = crypto.randomUUID();
    const job = { ...UNCLASSIFIED, callback_url: `${standIn}/ok/callback/${marker}` };
    const ev = await json<{ job_id: string; approval: { id: string } }>(await call("/v1/evaluate", { key: agent, body: { job } }));
    const vote = await call(`/v1/approvals/${ev.approval.id}/votes`, {
      key: approver,
      body: { vote: "reject", approver: "slack:U0SEC0001" },
    });
    expect(vote.status).toBe(200);
    const got = await eventually(async () => (await seen(`/ok/callback/${marker}`))[0]);
    const sig = (got as Seen & { headers: Record<string, string> }).headers["cordon-signature"] ?? "";
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig);
    expect(m).not.toBeNull();
    const [, t, mac] = m as RegExpExecArray;
    expect(mac).toBe(await hmacHex(env.CALLBACK_SIGNING_SECRET, `${t}.${got.body}`));
    expect(JSON.parse(got.body)).toMatchObject({ job_id: ev.job_id, approval_id: ev.approval.id, status: "rejected" });
  });

  it("429 is retried after Retry-After, 500 with backoff, a permanent refusal goes to the dead-letter queue and into D1", async () => {
    const tenant = "notify-retries";
    const id = await newApproval(tenant);
    const run = async (path: string, attempts = 1) => {
      const targets = JSON.stringify({ [tenant]: { webhook_url: `${standIn}${path}` } });
      const batch = createMessageBatch<Notification>("cordon-notify", [
        { id: `m-${path}-${attempts}`, timestamp: new Date(), attempts, body: { kind: "slack.request", tenant, approval_id: id } },
      ]);
      const ctx = createExecutionContext();
      await consumeNotifications(batch, { ...env, SLACK_TARGETS: targets });
      return getQueueResult(batch, ctx);
    };
    const p429 = `/429-once/${id}`;
    const first = await run(p429);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual([`m-${p429}-1`]);
    expect(first.explicitAcks).toEqual([]);
    expect((await run(p429, 2)).explicitAcks).toEqual([`m-${p429}-2`]);

    const p500 = `/always-500/${id}`;
    const r500 = await run(p500, 3);
    expect(r500.retryMessages.map((m) => m.msgId)).toEqual([`m-${p500}-3`]);
    expect(r500.explicitAcks).toEqual([]);

    // The last attempt that fails goes to the dead-letter queue too (with why), not back to the queue.
    const last = await run(p500, 6);
    expect(last.retryMessages).toEqual([]);
    expect(last.explicitAcks).toEqual([`m-${p500}-6`]);

    const gone = `/gone/${id}`;
    const rGone = await run(gone);
    expect(rGone.explicitAcks).toEqual([`m-${gone}-1`]);
    // The dead-letter queue's consumer keeps it in D1.
    const row = await eventually(
      async () =>
        (await env.DB.prepare("SELECT message FROM dead_letters WHERE tenant = ?").bind(tenant).first<{ message: string }>()) ?? undefined,
    );
    const rows = await eventually(async () => {
      const r = await env.DB.prepare("SELECT message, attempts FROM dead_letters WHERE tenant = ? ORDER BY attempts")
        .bind(tenant)
        .all<{ message: string; attempts: number }>();
      return r.results.length >= 2 ? r.results : undefined;
    });
    const errors = rows.map((r) => JSON.parse(r.message) as { kind: string; approval_id: string; error: string });
    for (const e of errors) expect(e).toMatchObject({ kind: "slack.request", approval_id: id });
    expect(errors.map((e) => e.error).join("\n")).toMatch(/404/);
    expect(errors.map((e) => e.error).join("\n")).toMatch(/gave up after 6 attempts: .*500/);
  });
});
