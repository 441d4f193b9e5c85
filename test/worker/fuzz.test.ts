import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  auditPage,
  errorResponse,
  evaluateResponse,
  healthResponse,
  jobResponse,
  policyResponse,
  simulateResponse,
  verifyResponse,
} from "../../src/api/schemas";
import { call, createKey, json } from "../support/http";

// Random bodies and headers to every route: never a 500, and every response
// has its documented shape (an error body for 4xx/503, the route's schema for 200).
describe("property: random requests never get a 500 and always a documented shape", () => {
  const keys: Record<string, string> = {};
  let jobId = "";
  beforeAll(async () => {
    for (const role of ["agent", "approver", "admin"] as const) keys[role] = await createKey("fuzz", role);
    jobId = (await json<{ job_id: string }>(await call("/v1/evaluate", { key: keys.agent, body: { job: { capability: "k8s.pod.list" } } })))
      .job_id;
  });

  const shapes: [RegExp, string, z.ZodType][] = [
    [/^\/v1\/evaluate$/, "POST", evaluateResponse],
    [/^\/v1\/policy\/simulate$/, "POST", simulateResponse],
    [/^\/v1\/policy$/, "GET", policyResponse],
    [/^\/v1\/jobs\/[^/]+$/, "GET", jobResponse],
    [/^\/v1\/audit\/verify$/, "GET", verifyResponse],
    [/^\/v1\/audit$/, "GET", auditPage],
    [/^\/healthz$/, "GET", healthResponse],
  ];

  const job = fc.record(
    {
      id: fc.oneof(fc.string({ maxLength: 30 }), fc.integer()),
      topic: fc.oneof(fc.constantFrom("job.k8s.exec", "", "a..b"), fc.string()),
      capability: fc.oneof(fc.constantFrom("k8s.pod.list", "k8s.namespace.delete", "incident.remediate"), fc.string(), fc.integer()),
      risk_tags: fc.oneof(fc.array(fc.constantFrom("read", "destructive", "production", "write")), fc.string(), fc.array(fc.anything())),
      labels: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })), fc.anything()),
      actor: fc.oneof(fc.record({ id: fc.string({ maxLength: 20 }) }), fc.string()),
      action: fc.oneof(fc.record({ kind: fc.constantFrom("shell", "sql"), command: fc.string() }), fc.anything()),
      input: fc.jsonValue({ maxDepth: 3 }),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    job.map((j) => JSON.stringify({ job: j })),
    fc
      .record(
        { job, policy: fc.oneof(fc.string(), fc.constant("version: 1\nrules: []\n")), explain: fc.anything() },
        { requiredKeys: ["job"] },
      )
      .map((b) => JSON.stringify(b)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    fc.constant(""),
  );
  const path = fc.oneof(
    fc.constantFrom(
      "/v1/evaluate",
      "/v1/policy/simulate",
      "/v1/policy",
      "/v1/audit",
      "/v1/audit/verify",
      "/healthz",
      "/openapi.json",
      "/v1/nope",
      "/",
    ),
    fc.constantFrom("/v1/jobs/", "/v1/jobs/job_", "/v1/audit?"),
  );
  const query = fc.oneof(
    fc.constant(""),
    fc.constantFrom(
      "?limit=5",
      "?limit=-1",
      "?cursor=3",
      "?cursor=x",
      "?wait=5",
      "?wait=999",
      "?decision=DENY",
      "?since=2026-01-01T00:00:00Z",
      "?job_id=",
    ),
    fc.string({ maxLength: 20 }).map((s) => `?${encodeURIComponent(s)}=${encodeURIComponent(s)}`),
  );

  it("holds for random method, path, key, content type and body", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "DELETE"),
        path,
        query,
        fc.constantFrom("agent", "approver", "admin", "none", "garbage"),
        fc.constantFrom("application/json", "text/plain", "application/json; charset=utf-8", ""),
        body,
        fc.boolean(),
        async (method, p, q, who, contentType, b, withJob) => {
          let target = p.endsWith("/v1/jobs/") ? `${p}${withJob ? jobId : "job_0"}` : p;
          if (!target.includes("?")) target += q;
          const headers: Record<string, string> = {};
          if (contentType) headers["content-type"] = contentType;
          if (who === "garbage") headers.authorization = "Bearer cdn_garbage";
          else if (who !== "none") headers.authorization = `Bearer ${keys[who]}`;
          const res = await call(target, { method, headers, ...(method === "GET" ? {} : { body: b }) });
          expect(res.status, `${method} ${target}`).not.toBe(500);
          const text = await res.text();
          if (target.startsWith("/openapi.json")) return;
          const parsed = JSON.parse(text) as unknown;
          if (res.status >= 400) {
            expect(errorResponse.safeParse(parsed).success, `${method} ${target} -> ${res.status} ${text}`).toBe(true);
          } else {
            const shape = shapes.find(([re, m]) => re.test(new URL(target, "http://x").pathname) && m === method);
            expect(shape, `no documented 200 for ${method} ${target}`).toBeDefined();
            const r = shape?.[2].safeParse(parsed);
            expect(r?.success, `${method} ${target}: ${text.slice(0, 300)}`).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
