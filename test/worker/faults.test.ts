import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditPage, errorResponse, verifyResponse } from "../../src/api/schemas";
import { call, createKey, freshTenant, json } from "../support/http";

describe("when the audit store cannot take the record", () => {
  it("the answer is 503, nothing is half-recorded, and the ledger recovers", async () => {
    const tenant = freshTenant();
    const agent = await createKey(tenant, "agent");
    const admin = await createKey(tenant, "admin");
    const destructive = (id: string) => ({ job: { id, capability: "k8s.pod.delete", risk_tags: ["destructive"], actor: { id: "bot" } } });
    for (let i = 1; i <= 4; i++) expect((await call("/v1/evaluate", { key: agent, body: destructive(`ok-${i}`) })).status).toBe(200);

    // Take the audit table away: D1 rejects the batch, so the decision must not be returned.
    await env.DB.exec("ALTER TABLE audit_records RENAME TO audit_records_offline");
    let res: Response;
    try {
      res = await call("/v1/evaluate", { key: agent, body: destructive("during-outage") });
    } finally {
      await env.DB.exec("ALTER TABLE audit_records_offline RENAME TO audit_records");
    }
    expect(res.status).toBe(503);
    expect(errorResponse.parse(await res.json()).error.code).toBe("unavailable");

    // The failed job left no job record, and its velocity count was given back:
    // the 5th counted destructive job is still allowed to be evaluated normally.
    const jobs = await env.DB.prepare("SELECT COUNT(*) AS n FROM jobs WHERE tenant = ? AND client_id = 'during-outage'")
      .bind(tenant)
      .first<{ n: number }>();
    expect(jobs?.n).toBe(0);
    const fifth = await json<{ rule_id: string | null }>(await call("/v1/evaluate", { key: agent, body: destructive("ok-5") }));
    expect(fifth.rule_id).toBeNull();
    const sixth = await json<{ rule_id: string | null }>(await call("/v1/evaluate", { key: agent, body: destructive("ok-6") }));
    expect(sixth.rule_id).toBe("destructive-burst");

    // A retry of the failed job now succeeds and is recorded once; the chain is whole.
    expect((await call("/v1/evaluate", { key: agent, body: destructive("during-outage") })).status).toBe(200);
    const audit = auditPage.parse(await json(await call("/v1/audit", { key: admin })));
    expect(audit.records.map((r) => r.seq)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(verifyResponse.parse(await json(await call("/v1/audit/verify", { key: admin })))).toMatchObject({ ok: true, records: 7 });
  });
});
