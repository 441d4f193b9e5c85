import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditPage, errorResponse, evaluateResponse, verifyResponse } from "../../src/api/schemas";
import { call, createKey, freshTenant, json } from "../support/http";

describe("when D1 is unavailable", () => {
  it("decisions are still answered only once sealed in the ledger; reads of the trail are 503; nothing is lost when D1 returns", async () => {
    const tenant = freshTenant();
    const agent = await createKey(tenant, "agent");
    const admin = await createKey(tenant, "admin");
    const job = (id: string) => ({ job: { id, capability: "k8s.pod.list", risk_tags: ["read"], actor: { id: "bot" } } });
    for (let i = 1; i <= 3; i++) expect((await call("/v1/evaluate", { key: agent, body: job(`before-${i}`) })).status).toBe(200);
    expect(verifyResponse.parse(await json(await call("/v1/audit/verify", { key: admin })))).toMatchObject({ ok: true, records: 3 });

    // Take D1's audit table away: the ledger keeps sealing records in its own
    // storage and cannot copy them; whoever reads the trail is told so.
    await env.DB.exec("ALTER TABLE audit_records RENAME TO audit_records_offline");
    const during: string[] = [];
    let readWhileDown: Response;
    try {
      for (let i = 1; i <= 4; i++) {
        const res = await call("/v1/evaluate", { key: agent, body: job(`during-${i}`) });
        expect(res.status).toBe(200);
        during.push(evaluateResponse.parse(await res.json()).job_id);
      }
      readWhileDown = await call("/v1/audit", { key: admin });
    } finally {
      await env.DB.exec("ALTER TABLE audit_records_offline RENAME TO audit_records");
    }
    expect(readWhileDown.status).toBe(503);
    expect(errorResponse.parse(await readWhileDown.json()).error.code).toBe("unavailable");

    // D1 is back: every decision answered during the outage is in the trail, in order, and the chain is whole.
    const audit = auditPage.parse(await json(await call("/v1/audit", { key: admin })));
    expect(audit.records.map((r) => r.seq)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(
      audit.records
        .slice(0, 4)
        .map((r) => r.job_id)
        .reverse(),
    ).toEqual(during);
    expect(verifyResponse.parse(await json(await call("/v1/audit/verify", { key: admin })))).toMatchObject({ ok: true, records: 7 });
    // A retry of a job answered during the outage is the same decision, not a new one.
    const replay = await call("/v1/evaluate", { key: agent, body: job("during-2") });
    expect(evaluateResponse.parse(await replay.json()).job_id).toBe(during[1]);
  });
});
