import { and, asc, desc, eq, gt, gte, lt, lte, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { ApiError } from "../api/errors";
import { auditQuery, evaluateRequest, jobQuery, simulateRequest } from "../api/schemas";
import { approvalStub, approvalsApi } from "../approvals/api";
import { type AuditRow, ChainVerifier, fromRow } from "../audit/chain";
import { auditRecords, jobs } from "../audit/schema";
import { authenticate } from "../auth/keys";
import { Engine } from "../engine/evaluator";
import { decisionView } from "../engine/view";
import { flushLedger, ledgerStub } from "../ledger/client";
import type { TenantLedger } from "../ledger/tenant-ledger";
import { linkRoutes } from "../links/routes";
import { compilePolicy } from "../policy/compiler";
import { formatDiagnostic } from "../policy/diagnostics";
import { slackRoutes } from "../slack/route";
import { evaluateCoalesced } from "./coalesce";
import { builtAt, engine } from "./engine";
import { type AppEnv, readJson, requireRole, validate } from "./http";
import { docsPage, openApiDocument } from "./openapi";

export const app = new Hono<AppEnv>();

app.get("/healthz", (c) => c.json({ ok: true as const, snapshot_hash: engine.hash }));
app.get("/openapi.json", (c) => c.json(openApiDocument()));
app.get("/docs", (c) => c.html(docsPage()));

// Pages and Slack's endpoint authenticate by signature, not by API key: registered before /v1's key check.
app.route("/approve", linkRoutes);
app.route("/v1/slack", slackRoutes);

const v1 = new Hono<AppEnv>();

v1.use("*", async (c, next) => {
  c.set("principal", await authenticate(c.env.DB, c.req.header("authorization")));
  await next();
});

v1.post("/evaluate", async (c) => {
  const p = requireRole(c, "agent", "admin");
  const { job } = await readJson(c, evaluateRequest);
  let answer: Awaited<ReturnType<TenantLedger["evaluate"]>>;
  try {
    answer = await evaluateCoalesced(() => ledgerStub(c.env, p.tenant), p.tenant, job);
  } catch (e) {
    console.error("ledger call failed", e);
    throw new ApiError("unavailable", "the audit ledger is unavailable; the job was not evaluated");
  }
  if (!answer.ok) throw new ApiError("unavailable", answer.message);
  return c.body(answer.body, 200, {
    "content-type": "application/json",
    ...(answer.replayed ? { "cordon-idempotent-replay": "true" } : {}),
  });
});

v1.post("/policy/simulate", async (c) => {
  const p = requireRole(c, "admin");
  const body = await readJson(c, simulateRequest);
  let target = engine;
  let warnings: string[] | undefined;
  if (body.policy !== undefined) {
    const r = await compilePolicy([{ kind: "base", path: "policy", text: body.policy }]);
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    if (!r.ok || !r.snapshot || !r.hash) {
      throw new ApiError(
        "invalid_request",
        `the candidate policy does not compile: ${formatDiagnostic(errors[0] ?? r.diagnostics[0] ?? { severity: "error", file: "policy", line: 1, column: 1, message: "unknown error" })}`,
        errors.map((d) => ({ path: `policy:${d.line}:${d.column}`, message: `${d.rule_id ? `rule '${d.rule_id}': ` : ""}${d.message}` })),
      );
    }
    target = new Engine(r.snapshot, r.hash);
    warnings = r.diagnostics.map(formatDiagnostic);
  }
  const explain = body.explain ?? true;
  // A simulation starts from an empty velocity window and records nothing.
  const counts = Object.fromEntries(
    [...target.snapshot.rules, ...Object.values(target.snapshot.tenants).flatMap((t) => t.rules)]
      .filter((r) => r.velocity)
      .map((r) => [r.id, 0]),
  );
  const result = target.evaluate(body.job, { tenant: p.tenant, explain, velocityCounts: counts });
  return c.json({ ...decisionView(result, explain), ...(warnings?.length ? { diagnostics: warnings } : {}) });
});

v1.get("/policy", (c) => {
  const p = requireRole(c, "admin");
  const s = engine.snapshot;
  const t = s.tenants[p.tenant];
  return c.json({
    snapshot_hash: engine.hash,
    built_at: builtAt,
    default_decision: s.default_decision,
    packs: s.packs,
    rules: s.rules,
    tenant: t ? { id: p.tenant, ...(t.default_decision ? { default_decision: t.default_decision } : {}), rules: t.rules } : null,
  });
});

v1.get("/jobs/:id", async (c) => {
  const p = requireRole(c, "agent", "approver", "admin");
  const id = c.req.param("id");
  const { wait } = validate(jobQuery, c.req.query());
  if (!/^job_[0-9a-f]{24}$/.test(id)) throw new ApiError("not_found", `no job ${id.slice(0, 64)}`);
  await flushLedger(c.env, p.tenant);
  let row = await jobRow(c.env, p.tenant, id);
  if (!row) throw new ApiError("not_found", `no job ${id}`);
  const approvalId = (JSON.parse(row.response) as { approval?: { id: string } }).approval?.id;
  if (row.state === "pending_approval" && approvalId) {
    // The approval's object holds this request until the approval resolves
    // (or `wait` runs out), then the ledger copies the outcome to D1.
    const view = await approvalStub(c.env, approvalId).wait(p.tenant, Number(wait ?? 0) * 1000);
    if (view && view.status !== "pending") {
      await flushLedger(c.env, p.tenant);
      row = (await jobRow(c.env, p.tenant, id)) ?? row;
    }
  }
  const timeline = await drizzle(c.env.DB)
    .select()
    .from(auditRecords)
    .where(and(eq(auditRecords.tenant, p.tenant), eq(auditRecords.jobId, id)))
    .orderBy(asc(auditRecords.seq));
  return c.json({
    job_id: row.id,
    client_job_id: row.clientId,
    state: row.state,
    created_at: row.createdAt,
    decision: JSON.parse(row.response) as unknown,
    outcome: row.outcome ? (JSON.parse(row.outcome) as unknown) : null,
    job: JSON.parse(row.job) as unknown,
    timeline: timeline.map((r) => fromRow(r as AuditRow)),
  });
});

async function jobRow(env: Env, tenant: string, id: string) {
  const rows = await drizzle(env.DB)
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenant, tenant), eq(jobs.id, id)))
    .limit(1);
  return rows[0];
}

v1.route("/approvals", approvalsApi);

v1.get("/audit", async (c) => {
  const p = requireRole(c, "admin");
  const q = validate(auditQuery, c.req.query());
  await flushLedger(c.env, p.tenant);
  const db = drizzle(c.env.DB);
  const where = (cursor: number | undefined): SQL | undefined => {
    const conds: SQL[] = [eq(auditRecords.tenant, p.tenant)];
    if (q.since) conds.push(gte(auditRecords.at, new Date(q.since).toISOString()));
    if (q.until) conds.push(lte(auditRecords.at, new Date(q.until).toISOString()));
    if (q.decision) conds.push(eq(auditRecords.decision, q.decision));
    if (q.actor) conds.push(eq(auditRecords.actor, q.actor));
    if (q.job_id) conds.push(eq(auditRecords.jobId, q.job_id));
    if (cursor !== undefined) conds.push(lt(auditRecords.seq, cursor));
    return and(...conds);
  };
  const page = async (cursor: number | undefined, limit: number) =>
    (await db.select().from(auditRecords).where(where(cursor)).orderBy(desc(auditRecords.seq)).limit(limit)).map((r) =>
      fromRow(r as AuditRow),
    );

  if (/application\/x-ndjson/i.test(c.req.header("accept") ?? "")) {
    const encoder = new TextEncoder();
    let cursor = q.cursor !== undefined ? Number(q.cursor) : undefined;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const records = await page(cursor, 500);
        if (records.length === 0) return controller.close();
        controller.enqueue(encoder.encode(records.map((r) => `${JSON.stringify(r)}\n`).join("")));
        cursor = records[records.length - 1]?.seq;
        if (records.length < 500) controller.close();
      },
    });
    return new Response(stream, { headers: { "content-type": "application/x-ndjson" } });
  }
  const limit = q.limit ?? 100;
  const records = await page(q.cursor !== undefined ? Number(q.cursor) : undefined, limit + 1);
  const more = records.length > limit;
  const shown = records.slice(0, limit);
  return c.json({ records: shown, next_cursor: more ? String(shown[shown.length - 1]?.seq) : null });
});

v1.get("/audit/verify", async (c) => {
  const p = requireRole(c, "admin");
  await flushLedger(c.env, p.tenant);
  const anchor = await ledgerStub(c.env, p.tenant).anchor();
  const verifier = new ChainVerifier(anchor);
  const db = drizzle(c.env.DB);
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditRecords)
      .where(and(eq(auditRecords.tenant, p.tenant), gt(auditRecords.seq, after)))
      .orderBy(asc(auditRecords.seq))
      .limit(1000);
    for (const r of rows) await verifier.add(fromRow(r as AuditRow));
    if (rows.length < 1000 || verifier.failed) break;
    after = rows[rows.length - 1]?.seq ?? after;
  }
  return c.json(verifier.finish());
});

app.route("/v1", v1);

app.notFound((c) => c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));

app.onError((err, c) => {
  if (err instanceof ApiError) return c.json(err.body(), err.status);
  console.error("unhandled error", err);
  return c.json({ error: { code: "internal", message: "internal error" } }, 500);
});
