import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Approval } from "../../src/approvals/approval-object";
import type { ApprovalView } from "../../src/approvals/types";
import { signVoteToken } from "../../src/links/token";
import { call, createKey, freshTenant, json } from "../support/http";
import { engineFrom } from "../support/policy";

/** A production write in acme: prod-writes-need-approval, quorum 2. */
const PROD_WRITE = {
  capability: "db.migration.apply",
  risk_tags: ["production", "write"],
  actor: { id: "migrate-bot", on_behalf_of: "oncall@example.com" },
};
/** Any tenant: unclassified-needs-approval, quorum 1, approvers group:security. */
const UNCLASSIFIED = { capability: "shell.exec", risk_tags: ["unclassified"], action: { kind: "shell", command: 'eval "$X"' } };

interface Evaluated {
  job_id: string;
  decision: string;
  approval: { id: string; quorum: number; approvers: string[]; expires_at: string };
}
interface JobView {
  state: string;
  outcome: { state: string; reason: string; constraints?: Record<string, unknown> } | null;
  timeline: { type: string; actor: string | null; detail: Record<string, unknown> }[];
}

async function keys(tenant: string) {
  return {
    agent: await createKey(tenant, "agent"),
    approver: await createKey(tenant, "approver"),
    admin: await createKey(tenant, "admin"),
  };
}

async function requestApproval(_tenant: string, agent: string, job: Record<string, unknown>): Promise<Evaluated> {
  const res = await call("/v1/evaluate", { key: agent, body: { job } });
  expect(res.status).toBe(200);
  const body = await json<Evaluated>(res);
  expect(body.decision).toBe("REQUIRE_APPROVAL");
  return body;
}

function vote(key: string, approvalId: string, approver: string, v: "approve" | "reject", note?: string) {
  return call(`/v1/approvals/${approvalId}/votes`, { key, body: { vote: v, approver, ...(note ? { note } : {}) } });
}

function stubOf(id: string): DurableObjectStub<Approval> {
  return env.APPROVALS.get(env.APPROVALS.idFromName(id));
}

describe("approvals through the API", () => {
  it("quorum of two distinct listed approvers releases the waiting agent, with the re-evaluation's constraints", async () => {
    const k = await keys("acme");
    const ev = await requestApproval("acme", k.agent, PROD_WRITE);
    expect(ev.approval.quorum).toBe(2);
    expect(ev.approval.approvers).toEqual(["slack:U024BE7LH", "email:sre-lead@example.com", "slack:U0G9QF9C6", "email:oncall@example.com"]);

    // The agent waits; nothing is decided yet.
    const waiting = call(`/v1/jobs/${ev.job_id}?wait=20`, { key: k.agent });

    const first = await vote(k.approver, ev.approval.id, "slack:U024BE7LH", "approve");
    expect(first.status).toBe(200);
    expect((await json<ApprovalView>(first)).status).toBe("pending");
    // The same approver twice counts once.
    expect((await vote(k.approver, ev.approval.id, "slack:U024BE7LH", "approve")).status).toBe(409);
    // Someone not listed does not count.
    const stranger = await vote(k.approver, ev.approval.id, "slack:UNOBODY", "approve");
    expect(stranger.status).toBe(403);
    expect((await json<{ error: { message: string } }>(stranger)).error.message).toMatch(/not an approver/);

    const second = await vote(k.approver, ev.approval.id, "email:sre-lead@example.com", "approve");
    expect(second.status).toBe(200);
    const resolved = await json<ApprovalView>(second);
    expect(resolved.status).toBe("approved");
    expect(resolved.votes.map((v) => v.approver)).toEqual(["slack:U024BE7LH", "email:sre-lead@example.com"]);

    const job = await json<JobView>(await waiting);
    expect(job.state).toBe("approved");
    expect(job.outcome?.state).toBe("approved");
    expect(job.timeline.map((r) => r.type)).toEqual([
      "decision",
      "approval.requested",
      "approval.vote",
      "approval.vote",
      "approval.resolved",
      "job.resumed",
    ]);
    // A vote after resolution is a conflict.
    expect((await vote(k.approver, ev.approval.id, "slack:U0G9QF9C6", "reject")).status).toBe(409);
    const verify = await json<{ ok: boolean }>(await call("/v1/audit/verify", { key: k.admin }));
    expect(verify.ok).toBe(true);
  });

  it("a single rejection vetoes, whatever the quorum", async () => {
    const k = await keys("acme");
    const ev = await requestApproval("acme", k.agent, PROD_WRITE);
    expect((await vote(k.approver, ev.approval.id, "slack:U024BE7LH", "approve")).status).toBe(200);
    const r = await vote(k.approver, ev.approval.id, "slack:U0G9QF9C6", "reject", "not during the freeze");
    expect((await json<ApprovalView>(r)).status).toBe("rejected");
    const job = await json<JobView>(await call(`/v1/jobs/${ev.job_id}`, { key: k.agent }));
    expect(job.state).toBe("rejected");
    expect(job.outcome?.reason).toContain("not during the freeze");
  });

  it("the job's own actor (on_behalf_of) cannot approve it", async () => {
    const k = await keys("acme");
    const ev = await requestApproval("acme", k.agent, PROD_WRITE);
    const r = await vote(k.approver, ev.approval.id, "email:oncall@example.com", "approve");
    expect(r.status).toBe(403);
    expect((await json<{ error: { message: string } }>(r)).error.message).toMatch(/own actor/);
    const a = await json<ApprovalView>(await call(`/v1/approvals/${ev.approval.id}`, { key: k.approver }));
    expect(a.votes).toEqual([]);
  });

  it("20 concurrent votes give exactly one resolution and count each approver once", async () => {
    const k = await keys("acme");
    const ev = await requestApproval("acme", k.agent, { ...PROD_WRITE, actor: { id: "migrate-bot" } });
    const approvers = ["slack:U024BE7LH", "email:sre-lead@example.com", "slack:U0G9QF9C6", "email:oncall@example.com"];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => vote(k.approver, ev.approval.id, approvers[i % 4] as string, "approve")),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(18);
    const job = await json<JobView>(await call(`/v1/jobs/${ev.job_id}`, { key: k.agent }));
    expect(job.timeline.filter((r) => r.type === "approval.resolved")).toHaveLength(1);
    expect(job.timeline.filter((r) => r.type === "approval.vote")).toHaveLength(2);
    expect(new Set(job.timeline.filter((r) => r.type === "approval.vote").map((r) => r.actor)).size).toBe(2);
  });

  it("at expiry the alarm denies the job as expired", async () => {
    const k = await keys("acme");
    const ev = await requestApproval("acme", k.agent, PROD_WRITE);
    const stub = stubOf(ev.approval.id);
    // Move the expiry into the past (the alarm compares with the clock), then fire the alarm.
    await runInDurableObject(stub, (_instance, state) => {
      const row = state.storage.sql.exec<{ data: string }>("SELECT data FROM state").one();
      const s = JSON.parse(row.data) as { init: { expires_at: string } };
      s.init.expires_at = new Date(Date.now() - 1000).toISOString();
      state.storage.sql.exec("UPDATE state SET data = ?", JSON.stringify(s));
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const job = await json<JobView>(await call(`/v1/jobs/${ev.job_id}`, { key: k.agent }));
    expect(job.state).toBe("expired");
    expect(job.timeline.at(-1)?.type).toBe("approval.expired");
    expect((await vote(k.approver, ev.approval.id, "slack:U024BE7LH", "approve")).status).toBe(409);
  });

  it("a policy change between request and approval that now denies: the job is denied and the timeline says why", async () => {
    const k = await keys("acme");
    const ev = await requestApproval("acme", k.agent, PROD_WRITE);
    const denyAll = await engineFrom(`version: 1
default_decision: DENY
rules:
  - id: migrations-frozen
    match: { capability: "db.migration.*" }
    decision: DENY
    reason: Migrations are frozen
`);
    await runInDurableObject(stubOf(ev.approval.id), (instance: Approval) => {
      instance.engine = denyAll;
    });
    await vote(k.approver, ev.approval.id, "slack:U024BE7LH", "approve");
    const r = await json<ApprovalView>(await vote(k.approver, ev.approval.id, "slack:U0G9QF9C6", "approve"));
    expect(r.status).toBe("approved");
    const job = await json<JobView>(await call(`/v1/jobs/${ev.job_id}`, { key: k.agent }));
    expect(job.state).toBe("denied");
    expect(job.outcome?.reason).toContain("Migrations are frozen");
    const resumed = job.timeline.find((t) => t.type === "job.resumed");
    expect(resumed).toBeDefined();
  });

  it("another tenant's approval is 404 to every role, and an agent cannot vote", async () => {
    const k = await keys("acme");
    const ev = await requestApproval("acme", k.agent, PROD_WRITE);
    const other = await keys(freshTenant("other"));
    expect((await call(`/v1/approvals/${ev.approval.id}`, { key: other.admin })).status).toBe(404);
    expect((await vote(other.approver, ev.approval.id, "slack:U024BE7LH", "approve")).status).toBe(404);
    expect((await vote(k.agent, ev.approval.id, "slack:U024BE7LH", "approve")).status).toBe(403);
    expect((await call("/v1/approvals/apr_nonsense", { key: k.approver })).status).toBe(404);
    const bad = await call(`/v1/approvals/${ev.approval.id}/votes`, { key: k.approver, body: { vote: "maybe", approver: "slack:U1" } });
    expect(bad.status).toBe(400);
  });

  it("lists the tenant's pending approvals", async () => {
    const tenant = freshTenant("list");
    const k = await keys(tenant);
    const ev = await requestApproval(tenant, k.agent, UNCLASSIFIED);
    const list = await json<{ approvals: ApprovalView[] }>(await call("/v1/approvals?status=pending", { key: k.approver }));
    expect(list.approvals.map((a) => a.id)).toEqual([ev.approval.id]);
  });
});

describe("signed links", () => {
  const secret = env.LINK_SIGNING_SECRET;

  async function linksFor(_tenant: string, admin: string, approvalId: string, approver: string) {
    const r = await call(`/v1/approvals/${approvalId}/links`, { key: admin, body: { approver } });
    expect(r.status).toBe(200);
    return json<{ approve: string; reject: string }>(r);
  }

  it("GET shows the job and changes nothing; POST votes once; a replay is refused", async () => {
    const tenant = freshTenant("link");
    const k = await keys(tenant);
    const ev = await requestApproval(tenant, k.agent, UNCLASSIFIED);
    const links = await linksFor(tenant, k.admin, ev.approval.id, "email:security@example.com");
    const path = new URL(links.approve).pathname;

    const page = await call(path);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain("eval &quot;$X&quot;");
    expect(html).toContain("email:security@example.com");
    // A second GET (a link previewer) still changes nothing.
    await call(path);
    const before = await json<ApprovalView>(await call(`/v1/approvals/${ev.approval.id}`, { key: k.approver }));
    expect(before.status).toBe("pending");
    expect(before.votes).toEqual([]);

    const posted = await call(path, { method: "POST" });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("approved");
    const job = await json<JobView>(await call(`/v1/jobs/${ev.job_id}`, { key: k.agent }));
    expect(job.state).toBe("approved");
    expect(job.timeline.find((t) => t.type === "approval.vote")?.detail.via).toBe("link");

    const replay = await call(path, { method: "POST" });
    expect(replay.status).toBe(409);
    expect((await call(path)).status).toBe(409);
  });

  it("forged, tampered and expired tokens each get their page and change nothing", async () => {
    const tenant = freshTenant("forge");
    const k = await keys(tenant);
    const ev = await requestApproval(tenant, k.agent, UNCLASSIFIED);
    const links = await linksFor(tenant, k.admin, ev.approval.id, "slack:U0SEC0001");
    const token = new URL(links.reject).pathname.slice("/approve/".length);
    const flipped = `${token.slice(0, 10)}${token[10] === "A" ? "B" : "A"}${token.slice(11)}`;
    const forgedGet = await call(`/approve/${flipped}`);
    expect([400, 403]).toContain(forgedGet.status);
    expect([400, 403]).toContain((await call(`/approve/${flipped}`, { method: "POST" })).status);
    expect((await call("/approve/not-a-token", { method: "POST" })).status).toBe(400);
    const wrongKey = await signVoteToken(
      {
        approval_id: ev.approval.id,
        tenant,
        approver: "slack:U0SEC0001",
        vote: "approve",
        expires_at: Date.now() + 60_000,
        nonce: "bm9uY2Utbm9uY2Utbm9uYw",
      },
      "another-secret-that-is-long-enough-0123456789",
    );
    expect((await call(`/approve/${wrongKey}`, { method: "POST" })).status).toBe(403);
    const expired = await signVoteToken(
      {
        approval_id: ev.approval.id,
        tenant,
        approver: "slack:U0SEC0001",
        vote: "approve",
        expires_at: Date.now() - 1,
        nonce: "bm9uY2Utbm9uY2Utbm9uYw",
      },
      secret,
    );
    expect((await call(`/approve/${expired}`, { method: "POST" })).status).toBe(410);
    const a = await json<ApprovalView>(await call(`/v1/approvals/${ev.approval.id}`, { key: k.approver }));
    expect(a.status).toBe("pending");
    expect(a.votes).toEqual([]);
  });
});

describe("Slack interactions", () => {
  async function signed(body: string, ts: number, secret = env.SLACK_SIGNING_SECRET) {
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`v0:${ts}:${body}`)));
    return `v0=${Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }
  function payload(approvalId: string, user: string, v: "approve" | "reject") {
    const p = {
      type: "block_actions",
      user: { id: user, team_id: "T0CORDON" },
      team: { id: "T0CORDON" },
      actions: [
        {
          action_id: v === "approve" ? "cordon_approve" : "cordon_reject",
          block_id: "cordon_vote",
          value: JSON.stringify({ approval_id: approvalId, vote: v }),
        },
      ],
    };
    return `payload=${encodeURIComponent(JSON.stringify(p))}`;
  }
  const post = (body: string, headers: Record<string, string>) =>
    call("/v1/slack/interactions", { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });

  it("a signed click votes as slack:<user>; stale, future and tampered requests are refused before parsing", async () => {
    const tenant = freshTenant("slack");
    const k = await keys(tenant);
    const ev = await requestApproval(tenant, k.agent, UNCLASSIFIED);
    const body = payload(ev.approval.id, "U0SEC0001", "approve");
    const now = Math.floor(Date.now() / 1000);

    for (const ts of [now - 301, now + 301]) {
      const r = await post(body, { "x-slack-request-timestamp": String(ts), "x-slack-signature": await signed(body, ts) });
      expect(r.status).toBe(401);
    }
    const tampered = body.replace("U0SEC0001", "U0SEC0002");
    const r1 = await post(tampered, { "x-slack-request-timestamp": String(now), "x-slack-signature": await signed(body, now) });
    expect(r1.status).toBe(401);
    expect((await json<ApprovalView>(await call(`/v1/approvals/${ev.approval.id}`, { key: k.approver }))).votes).toEqual([]);

    const ok = await post(body, { "x-slack-request-timestamp": String(now), "x-slack-signature": await signed(body, now) });
    expect(ok.status).toBe(200);
    expect((await json<{ text: string }>(ok)).text).toMatch(/approved/);
    const a = await json<ApprovalView>(await call(`/v1/approvals/${ev.approval.id}`, { key: k.approver }));
    expect(a.status).toBe("approved");
    expect(a.votes[0]).toMatchObject({ approver: "slack:U0SEC0001", via: "slack" });
  });
});
