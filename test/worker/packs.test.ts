import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createKey, freshTenant, json } from "../support/http";

interface Decision {
  job_id: string;
  decision: string;
  rule_id: string | null;
  reason: string;
  derived: { capability?: string; risk_tags: string[]; findings: string[] };
}

describe("packs through POST /v1/evaluate", () => {
  it("kubectl delete namespace production with no tags, or tagged as a read, is DENY and says why", async () => {
    const agent = await createKey(freshTenant("packs"), "agent");
    for (const claim of [{}, { risk_tags: ["read"], capability: "k8s.pod.list" }]) {
      const r = await json<Decision>(
        await call("/v1/evaluate", {
          key: agent,
          body: { job: { ...claim, action: { kind: "shell", command: "kubectl delete namespace production" } } },
        }),
      );
      expect(r.decision).toBe("DENY");
      expect(r.rule_id).toBe("kubernetes-destructive-production");
      expect(r.derived.capability).toBe("k8s.namespace.delete");
      expect(r.derived.risk_tags).toEqual(expect.arrayContaining(["destructive", "production"]));
      expect(r.derived.findings.join("; ")).toMatch(/namespace production/);
    }
  });

  it("a harmless look-alike is not blocked: kubectl get pods -n production is allowed", async () => {
    const agent = await createKey(freshTenant("packs"), "agent");
    const r = await json<Decision>(
      await call("/v1/evaluate", { key: agent, body: { job: { action: { kind: "shell", command: "kubectl get pods -n production" } } } }),
    );
    expect(r).toMatchObject({ decision: "ALLOW", rule_id: "reads-are-allowed" });
  });

  it("a credential in the action is tagged secrets and never stored or shown in clear", async () => {
    const tenant = freshTenant("redact");
    const agent = await createKey(tenant, "agent");
    const admin = await createKey(tenant, "admin");
    const key = "AKIAIOSFODNN7EXAMPLQ";
    const command = `AWS_ACCESS_KEY_ID=${key} aws s3 ls s3://reports`;
    const r = await json<Decision>(await call("/v1/evaluate", { key: agent, body: { job: { action: { kind: "shell", command } } } }));
    expect(r.derived.risk_tags).toContain("secrets");
    expect(JSON.stringify(r)).not.toContain(key);
    const job = await call(`/v1/jobs/${r.job_id}`, { key: agent });
    const text = await job.text();
    expect(text).not.toContain(key);
    expect(text).toContain("[REDACTED:");
    const stored = await env.DB.prepare("SELECT job FROM jobs WHERE tenant = ? AND id = ?").bind(tenant, r.job_id).first<{ job: string }>();
    expect(stored?.job).not.toContain(key);
    const audit = await (await call("/v1/audit", { key: admin, headers: { accept: "application/x-ndjson" } })).text();
    expect(audit).not.toContain(key);
  });
});
