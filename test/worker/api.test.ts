import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  auditPage,
  errorResponse,
  evaluateResponse,
  jobResponse,
  policyResponse,
  simulateResponse,
  verifyResponse,
} from "../../src/api/schemas";
import { clearKeyCache } from "../../src/auth/keys";
import { engine } from "../../src/worker/engine";
import { call, createKey, freshTenant, json } from "../support/http";

// The demo policy is what the Worker bundles; tenant "acme" has its own rules.
const JOBS = {
  deny: { capability: "k8s.namespace.delete", risk_tags: ["destructive", "production"], actor: { id: "deploy-bot" } },
  approval: {
    capability: "db.migration.apply",
    risk_tags: ["production", "write"],
    actor: { id: "migrate-bot", on_behalf_of: "alice@example.com" },
  },
  constrained: { capability: "incident.remediate", actor: { id: "alice@example.com" } },
  allow: { capability: "k8s.pod.list", risk_tags: ["read"] },
};

async function expectError(
  res: Response,
  status: number,
  code: string,
): Promise<{ message: string; details?: { path: string; message: string }[] }> {
  expect(res.status).toBe(status);
  const body = errorResponse.parse(await res.json());
  expect(body.error.code).toBe(code);
  return body.error;
}

describe("POST /v1/evaluate", () => {
  let agent: string;
  let admin: string;
  beforeAll(async () => {
    agent = await createKey("acme", "agent");
    admin = await createKey("acme", "admin");
  });

  const cases: [keyof typeof JOBS, string, string][] = [
    ["deny", "DENY", "kubernetes-destructive-production"],
    ["approval", "REQUIRE_APPROVAL", "prod-writes-need-approval"],
    ["constrained", "ALLOW_WITH_CONSTRAINTS", "remediation-bounded"],
    ["allow", "ALLOW", "reads-are-allowed"],
  ];
  for (const [name, decision, rule] of cases) {
    it(`answers ${decision} and records it before answering`, async () => {
      const res = await call("/v1/evaluate", { key: agent, body: { job: JOBS[name] } });
      expect(res.status).toBe(200);
      const body = evaluateResponse.parse(await res.json());
      expect(body).toMatchObject({ decision, rule_id: rule, snapshot_hash: engine.hash });
      expect(body.request_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
      const audit = auditPage.parse(await json(await call(`/v1/audit?job_id=${body.job_id}`, { key: admin })));
      // Newest first: a REQUIRE_APPROVAL also seals approval.requested right after the decision.
      expect(audit.records.map((r) => r.type)).toEqual(decision === "REQUIRE_APPROVAL" ? ["approval.requested", "decision"] : ["decision"]);
      expect(audit.records.at(-1)).toMatchObject({
        type: "decision",
        job_id: body.job_id,
        decision,
        rule_id: rule,
        request_hash: body.request_hash,
        tenant: "acme",
      });
      const job = jobResponse.parse(await json(await call(`/v1/jobs/${body.job_id}`, { key: agent })));
      expect(job.decision).toEqual(body);
      expect(job.state).toBe(
        { DENY: "denied", REQUIRE_APPROVAL: "pending_approval", ALLOW_WITH_CONSTRAINTS: "allowed", ALLOW: "allowed" }[decision],
      );
      if (decision === "REQUIRE_APPROVAL") expect(body.approval).toMatchObject({ status: "pending", quorum: 2 });
      if (decision === "ALLOW_WITH_CONSTRAINTS") expect(body.constraints.max_runtime_sec).toBe(900);
    });
  }

  it("the same job.id returns the same decision and records nothing new, even when sent concurrently", async () => {
    const tenant = freshTenant();
    const key = await createKey(tenant, "agent");
    const adminKey = await createKey(tenant, "admin");
    const job = { ...JOBS.allow, id: "client-key-1" };
    const answers = await Promise.all(Array.from({ length: 10 }, () => call("/v1/evaluate", { key, body: { job } }).then((r) => r.json())));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    const again = await call("/v1/evaluate", { key, body: { job } });
    expect(again.headers.get("cordon-idempotent-replay")).toBe("true");
    expect(await again.json()).toEqual(answers[0]);
    const audit = auditPage.parse(await json(await call("/v1/audit", { key: adminKey })));
    expect(audit.records).toHaveLength(1);
  });

  it("counts velocity per actor and a retried job.id once", async () => {
    const tenant = freshTenant();
    const key = await createKey(tenant, "agent");
    const destructive = (n: number) => ({
      job: { id: `del-${n}`, capability: "k8s.pod.delete", risk_tags: ["destructive"], actor: { id: "cleanup-bot" } },
    });
    const decisions: string[] = [];
    for (let i = 1; i <= 5; i++) {
      decisions.push((await json<{ decision: string }>(await call("/v1/evaluate", { key, body: destructive(i) }))).decision);
      await call("/v1/evaluate", { key, body: destructive(i) }); // a retry counts once
    }
    expect(decisions).toEqual(["DENY", "DENY", "DENY", "DENY", "DENY"]); // default DENY: no rule allows pod deletes
    const sixth = await json<{ decision: string; rule_id: string }>(await call("/v1/evaluate", { key, body: destructive(6) }));
    expect(sixth).toMatchObject({ decision: "DENY", rule_id: "destructive-burst" });
    const otherActor = await json<{ rule_id: string | null }>(
      await call("/v1/evaluate", {
        key,
        body: { job: { capability: "k8s.pod.delete", risk_tags: ["destructive"], actor: { id: "someone-else" } } },
      }),
    );
    expect(otherActor.rule_id).toBeNull();
  });
});

describe("bad input gets the documented 4xx", () => {
  let key: string;
  beforeAll(async () => {
    key = await createKey(freshTenant(), "agent");
  });

  it("malformed JSON", async () => {
    const e = await expectError(await call("/v1/evaluate", { key, body: "{not json" }), 400, "invalid_request");
    expect(e.message).toMatch(/not valid JSON/);
  });

  it("wrong types, naming the field", async () => {
    const e = await expectError(await call("/v1/evaluate", { key, body: { job: { capability: 7 } } }), 400, "invalid_request");
    expect(e.details?.[0]?.path).toBe("job.capability");
  });

  it("unknown fields", async () => {
    const e = await expectError(
      await call("/v1/evaluate", { key, body: { job: { capability: "x", risk_tag: ["read"] } } }),
      400,
      "invalid_request",
    );
    expect(e.message).toBe("job.risk_tag: unknown field 'risk_tag'");
  });

  it("a job with none of topic, capability, action", async () => {
    const e = await expectError(await call("/v1/evaluate", { key, body: { job: { actor: { id: "x" } } } }), 400, "invalid_request");
    expect(e.message).toMatch(/at least one of topic, capability or action/);
  });

  it("bodies over 64 KiB", async () => {
    const big = { job: { capability: "x", input: { blob: "a".repeat(70_000) } } };
    await expectError(await call("/v1/evaluate", { key, body: big }), 413, "payload_too_large");
  });

  it("a body that is not JSON by content type", async () => {
    await expectError(
      await call("/v1/evaluate", { key, body: "job=1", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      400,
      "invalid_request",
    );
  });
});

describe("keys, roles and tenants", () => {
  it("no key, a malformed key and an unknown key are 401", async () => {
    await expectError(await call("/v1/evaluate", { body: { job: JOBS.allow } }), 401, "unauthorized");
    await expectError(
      await call("/v1/evaluate", { body: { job: JOBS.allow }, headers: { authorization: "Basic abc" } }),
      401,
      "unauthorized",
    );
    await expectError(
      await call("/v1/evaluate", { key: `cdn_${"a".repeat(16)}_${"b".repeat(43)}`, body: { job: JOBS.allow } }),
      401,
      "unauthorized",
    );
    const real = await createKey(freshTenant(), "agent");
    await expectError(
      await call("/v1/evaluate", { key: `${real.slice(0, -1)}${real.endsWith("A") ? "B" : "A"}`, body: { job: JOBS.allow } }),
      401,
      "unauthorized",
    );
  });

  it("a revoked key stops working", async () => {
    const tenant = freshTenant();
    const key = await createKey(tenant, "agent");
    expect((await call("/v1/evaluate", { key, body: { job: JOBS.allow } })).status).toBe(200);
    await env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?").bind(new Date().toISOString(), key.split("_")[1]).run();
    clearKeyCache();
    await expectError(await call("/v1/evaluate", { key, body: { job: JOBS.allow } }), 401, "unauthorized");
  });

  it("each role reaches only its routes", async () => {
    const tenant = freshTenant();
    const keys = {
      agent: await createKey(tenant, "agent"),
      approver: await createKey(tenant, "approver"),
      admin: await createKey(tenant, "admin"),
    };
    const job = (await json<{ job_id: string }>(await call("/v1/evaluate", { key: keys.agent, body: { job: JOBS.allow } }))).job_id;
    const routes: [string, string, unknown, ("agent" | "approver" | "admin")[]][] = [
      ["POST", "/v1/evaluate", { job: JOBS.allow }, ["agent", "admin"]],
      ["POST", "/v1/policy/simulate", { job: JOBS.allow }, ["admin"]],
      ["GET", "/v1/policy", undefined, ["admin"]],
      ["GET", `/v1/jobs/${job}`, undefined, ["agent", "approver", "admin"]],
      ["GET", "/v1/audit", undefined, ["admin"]],
      ["GET", "/v1/audit/verify", undefined, ["admin"]],
    ];
    for (const [method, path, body, allowed] of routes) {
      for (const role of ["agent", "approver", "admin"] as const) {
        const res = await call(path, { method, key: keys[role], body });
        if (allowed.includes(role)) expect(res.status, `${role} ${method} ${path}`).toBe(200);
        else await expectError(res, 403, "forbidden");
      }
    }
  });

  it("another tenant's job is 404, and audits never mix tenants", async () => {
    const a = freshTenant("a");
    const b = freshTenant("b");
    const aAgent = await createKey(a, "agent");
    const bAgent = await createKey(b, "agent");
    const bAdmin = await createKey(b, "admin");
    const jobA = (await json<{ job_id: string }>(await call("/v1/evaluate", { key: aAgent, body: { job: JOBS.allow } }))).job_id;
    await expectError(await call(`/v1/jobs/${jobA}`, { key: bAgent }), 404, "not_found");
    await expectError(await call(`/v1/jobs/${jobA}`, { key: bAdmin }), 404, "not_found");
    const audit = auditPage.parse(await json(await call(`/v1/audit?job_id=${jobA}`, { key: bAdmin })));
    expect(audit.records).toEqual([]);
    await call("/v1/evaluate", { key: bAgent, body: { job: JOBS.deny } });
    const own = auditPage.parse(await json(await call("/v1/audit", { key: bAdmin })));
    expect(own.records.map((r) => r.tenant)).toEqual([b]);
  });

  it("no role of one tenant can read another tenant's job, audit, chain or policy", async () => {
    const a = freshTenant("a");
    const b = freshTenant("b");
    const jobA = (
      await json<{ job_id: string }>(await call("/v1/evaluate", { key: await createKey(a, "agent"), body: { job: JOBS.deny } }))
    ).job_id;
    for (const role of ["agent", "approver", "admin"] as const) {
      const key = await createKey(b, role);
      await expectError(await call(`/v1/jobs/${jobA}`, { key }), 404, "not_found");
      if (role !== "admin") continue;
      expect(auditPage.parse(await json(await call(`/v1/audit?job_id=${jobA}`, { key }))).records).toEqual([]);
      expect(verifyResponse.parse(await json(await call("/v1/audit/verify", { key })))).toMatchObject({ ok: true, records: 0 });
      const sim = simulateResponse.parse(await json(await call("/v1/policy/simulate", { key, body: { job: JOBS.approval } })));
      expect(sim.matched_rules).not.toContain("prod-writes-need-approval"); // acme's rule, not b's
    }
  });

  it("the same client job.id in two tenants is two jobs", async () => {
    const k1 = await createKey(freshTenant(), "agent");
    const k2 = await createKey(freshTenant(), "agent");
    const j = { job: { ...JOBS.allow, id: "shared-id" } };
    const r1 = await json<{ job_id: string }>(await call("/v1/evaluate", { key: k1, body: j }));
    const r2 = await json<{ job_id: string }>(await call("/v1/evaluate", { key: k2, body: j }));
    expect(r1.job_id).not.toBe(r2.job_id);
  });
});

describe("POST /v1/policy/simulate", () => {
  let admin: string;
  beforeAll(async () => {
    admin = await createKey("acme", "admin");
  });

  it("explains a decision under the deployed policy and records nothing", async () => {
    const before = auditPage.parse(await json(await call("/v1/audit?limit=1", { key: admin })));
    const res = await call("/v1/policy/simulate", { key: admin, body: { job: JOBS.approval } });
    const body = simulateResponse.parse(await res.json());
    expect(body).toMatchObject({ decision: "REQUIRE_APPROVAL", rule_id: "prod-writes-need-approval", snapshot_hash: engine.hash });
    expect(body.explain?.length).toBe(engine.snapshot.rules.length + (engine.snapshot.tenants.acme?.rules.length ?? 0));
    const after = auditPage.parse(await json(await call("/v1/audit?limit=1", { key: admin })));
    expect(after.records[0]?.seq).toBe(before.records[0]?.seq);
  });

  it("evaluates a candidate policy sent inline", async () => {
    const policy =
      "version: 1\nrules:\n  - { id: candidate-deny, match: { capability: 'k8s.**' }, decision: DENY, reason: candidate says no }\n";
    const body = simulateResponse.parse(await json(await call("/v1/policy/simulate", { key: admin, body: { job: JOBS.allow, policy } })));
    expect(body).toMatchObject({ decision: "DENY", rule_id: "candidate-deny" });
    expect(body.snapshot_hash).not.toBe(engine.hash);
  });

  it("a candidate that does not compile is a 400 naming line and column", async () => {
    const e = await expectError(
      await call("/v1/policy/simulate", {
        key: admin,
        body: { job: JOBS.allow, policy: "version: 1\nrules:\n  - { id: x, match: {}, decision: ALOW, reason: r }\n" },
      }),
      400,
      "invalid_request",
    );
    expect(e.details).toEqual([
      {
        path: "policy:3:35",
        message: "rule 'x': unknown decision the string \"ALOW\": use ALLOW, DENY, REQUIRE_APPROVAL or ALLOW_WITH_CONSTRAINTS",
      },
    ]);
  });
});

describe("GET /v1/policy", () => {
  it("shows the deployed snapshot and only the caller's tenant section", async () => {
    const body = policyResponse.parse(await json(await call("/v1/policy", { key: await createKey("acme", "admin") })));
    expect(body.snapshot_hash).toBe(engine.hash);
    expect(body.tenant?.id).toBe("acme");
    const other = policyResponse.parse(await json(await call("/v1/policy", { key: await createKey(freshTenant(), "admin") })));
    expect(other.tenant).toBeNull();
    expect(JSON.stringify(other)).not.toContain("prod-writes-need-approval");
  });
});

describe("GET /v1/audit", () => {
  it("pages newest first with a cursor, filters, and streams NDJSON", async () => {
    const tenant = freshTenant();
    const agent = await createKey(tenant, "agent");
    const admin = await createKey(tenant, "admin");
    for (let i = 0; i < 5; i++) await call("/v1/evaluate", { key: agent, body: { job: i % 2 ? JOBS.allow : JOBS.deny } });
    const p1 = auditPage.parse(await json(await call("/v1/audit?limit=2", { key: admin })));
    expect(p1.records.map((r) => r.seq)).toEqual([5, 4]);
    const p2 = auditPage.parse(await json(await call(`/v1/audit?limit=2&cursor=${p1.next_cursor}`, { key: admin })));
    expect(p2.records.map((r) => r.seq)).toEqual([3, 2]);
    const p3 = auditPage.parse(await json(await call(`/v1/audit?limit=2&cursor=${p2.next_cursor}`, { key: admin })));
    expect(p3.records.map((r) => r.seq)).toEqual([1]);
    expect(p3.next_cursor).toBeNull();
    const denies = auditPage.parse(await json(await call("/v1/audit?decision=DENY", { key: admin })));
    expect(denies.records.map((r) => r.seq)).toEqual([5, 3, 1]);
    const nd = await call("/v1/audit", { key: admin, headers: { accept: "application/x-ndjson" } });
    expect(nd.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = (await nd.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { seq: number });
    expect(lines.map((l) => l.seq)).toEqual([5, 4, 3, 2, 1]);
  });

  it("rejects bad query parameters", async () => {
    const admin = await createKey(freshTenant(), "admin");
    await expectError(await call("/v1/audit?limit=0", { key: admin }), 400, "invalid_request");
    await expectError(await call("/v1/audit?cursor=abc", { key: admin }), 400, "invalid_request");
    await expectError(await call("/v1/audit?since=yesterday", { key: admin }), 400, "invalid_request");
    await expectError(await call("/v1/audit?decision=MAYBE", { key: admin }), 400, "invalid_request");
    await expectError(await call("/v1/audit?color=red", { key: admin }), 400, "invalid_request");
  });
});

describe("GET /v1/audit/verify: the hash chain catches edits, deletions and reordering", () => {
  async function tenantWithRecords(n: number) {
    const tenant = freshTenant();
    const agent = await createKey(tenant, "agent");
    const admin = await createKey(tenant, "admin");
    for (let i = 0; i < n; i++) await call("/v1/evaluate", { key: agent, body: { job: { ...JOBS.allow, input: { i } } } });
    const verify = async () => verifyResponse.parse(await json(await call("/v1/audit/verify", { key: admin })));
    // Reading the trail makes the ledger copy its records to D1 first; tamper only after that.
    expect(await verify()).toMatchObject({ ok: true, records: n });
    return { tenant, verify };
  }

  it("an untouched chain verifies", async () => {
    const { verify } = await tenantWithRecords(4);
    expect(await verify()).toMatchObject({ ok: true, records: 4 });
  });

  it("an edited record is found", async () => {
    const { tenant, verify } = await tenantWithRecords(5);
    await env.DB.prepare("UPDATE audit_records SET decision = 'ALLOW', reason = 'nothing to see' WHERE tenant = ? AND seq = 3")
      .bind(tenant)
      .run();
    expect(await verify()).toMatchObject({ ok: false, broken_seq: 3, reason: expect.stringMatching(/altered/) });
  });

  it("a deleted record is found", async () => {
    const { tenant, verify } = await tenantWithRecords(5);
    await env.DB.prepare("DELETE FROM audit_records WHERE tenant = ? AND seq = 2").bind(tenant).run();
    expect(await verify()).toMatchObject({ ok: false, broken_seq: 2, reason: expect.stringMatching(/missing/) });
  });

  it("a deleted tail is found against the ledger's anchor", async () => {
    const { tenant, verify } = await tenantWithRecords(5);
    await env.DB.prepare("DELETE FROM audit_records WHERE tenant = ? AND seq >= 4").bind(tenant).run();
    expect(await verify()).toMatchObject({ ok: false, broken_seq: 4 });
  });

  it("reordered records are found", async () => {
    const { tenant, verify } = await tenantWithRecords(5);
    // Swap the contents of records 2 and 3, keeping their seq numbers.
    await env.DB.prepare("UPDATE audit_records SET seq = -1 WHERE tenant = ? AND seq = 2").bind(tenant).run();
    await env.DB.prepare("UPDATE audit_records SET seq = 2 WHERE tenant = ? AND seq = 3").bind(tenant).run();
    await env.DB.prepare("UPDATE audit_records SET seq = 3 WHERE tenant = ? AND seq = -1").bind(tenant).run();
    expect(await verify()).toMatchObject({ ok: false, broken_seq: 2 });
  });
});

describe("service routes", () => {
  it("GET /openapi.json documents every route from the zod schemas", async () => {
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(await call("/openapi.json"));
    expect(doc.openapi).toBe("3.0.3");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/healthz",
      "/v1/approvals",
      "/v1/approvals/{id}",
      "/v1/approvals/{id}/links",
      "/v1/approvals/{id}/votes",
      "/v1/audit",
      "/v1/audit/verify",
      "/v1/evaluate",
      "/v1/jobs/{job_id}",
      "/v1/policy",
      "/v1/policy/simulate",
    ]);
    expect(JSON.stringify(doc.paths["/v1/evaluate"])).toContain("risk_tags");
  });

  it("GET /docs is a readable page", async () => {
    const res = await call("/docs");
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const text = await res.text();
    expect(text).toContain("POST /v1/evaluate");
    expect(text).not.toContain("[object");
  });
});
