import { and, asc, desc, eq, gt, gte, lt, lte, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { Hono } from "hono";
import type { z } from "zod";
import { ApiError, type ErrorDetail } from "../api/errors";
import { auditQuery, evaluateRequest, MAX_BODY_BYTES, simulateRequest } from "../api/schemas";
import { type AuditRow, ChainVerifier, fromRow } from "../audit/chain";
import { auditRecords, jobs } from "../audit/schema";
import { authenticate, type Principal, type Role } from "../auth/keys";
import { Engine } from "../engine/evaluator";
import { decisionView } from "../engine/view";
import type { TenantLedger } from "../ledger/tenant-ledger";
import { compilePolicy } from "../policy/compiler";
import { formatDiagnostic } from "../policy/diagnostics";
import { evaluateCoalesced } from "./coalesce";
import { builtAt, engine } from "./engine";
import { docsPage, openApiDocument } from "./openapi";

type AppEnv = { Bindings: Env; Variables: { principal: Principal } };

/** Read a JSON body: content type, size limit, syntax, then the zod schema. */
async function readJson<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type))
    throw new ApiError("invalid_request", "the body must be JSON: send 'content-type: application/json'");
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new ApiError("payload_too_large", `the body is over ${MAX_BODY_BYTES / 1024} KiB`);
  let bytes: Uint8Array;
  if (c.req.header("content-length") !== undefined) {
    // Declared length within the limit (checked above): read it in one go.
    bytes = new Uint8Array(await c.req.raw.arrayBuffer());
    if (bytes.byteLength > MAX_BODY_BYTES) throw new ApiError("payload_too_large", `the body is over ${MAX_BODY_BYTES / 1024} KiB`);
  } else {
    bytes = await readLimited(c.req.raw.body);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (e) {
    throw new ApiError("invalid_request", `the body is not valid JSON: ${(e as Error).message}`);
  }
  return validate(schema, parsed);
}

/** Read a body of unknown length, stopping as soon as it passes the limit. */
async function readLimited(body: ReadableStream<Uint8Array> | null): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ApiError("payload_too_large", `the body is over ${MAX_BODY_BYTES / 1024} KiB`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let off = 0;
  for (const ch of chunks) {
    bytes.set(ch, off);
    off += ch.byteLength;
  }
  return bytes;
}

function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details: ErrorDetail[] = r.error.issues.map((i) => {
    const path = i.path.map(String);
    if (i.code === "unrecognized_keys") return { path: [...path, i.keys[0] ?? ""].join("."), message: `unknown field '${i.keys[0]}'` };
    return { path: path.join("."), message: i.message };
  });
  const first = details[0] as ErrorDetail;
  throw new ApiError("invalid_request", first.path ? `${first.path}: ${first.message}` : first.message, details);
}

function requireRole(c: Context<AppEnv>, ...roles: Role[]): Principal {
  const p = c.get("principal");
  if (!roles.includes(p.role))
    throw new ApiError("forbidden", `this API key's role (${p.role}) cannot do this; it needs ${roles.join(" or ")}`);
  return p;
}

function ledger(env: Env, tenant: string): DurableObjectStub<TenantLedger> {
  return env.LEDGER.get(env.LEDGER.idFromName(tenant));
}

/** Before reading the trail from D1: have the tenant's ledger copy every record it sealed. */
async function flushed(env: Env, tenant: string): Promise<void> {
  try {
    await ledger(env, tenant).flush();
  } catch (e) {
    console.error("ledger flush failed", e);
    throw new ApiError("unavailable", "the audit store is unavailable; try again");
  }
}

export const app = new Hono<AppEnv>();

app.get("/healthz", (c) => c.json({ ok: true as const, snapshot_hash: engine.hash }));
app.get("/openapi.json", (c) => c.json(openApiDocument()));
app.get("/docs", (c) => c.html(docsPage()));

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
    answer = await evaluateCoalesced(() => ledger(c.env, p.tenant), p.tenant, job);
  } catch (e) {
    console.error("ledger call failed", e);
    throw new ApiError("unavailable", "the audit ledger is unavailable; the job was not evaluated");
  }
  if (!answer.ok) throw new ApiError("unavailable", answer.message);
  return c.json(answer.response, 200, answer.replayed ? { "cordon-idempotent-replay": "true" } : {});
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
  const wait = c.req.query("wait");
  if (wait !== undefined && !/^(0|[1-9][0-9]?)$/.test(wait))
    throw new ApiError("invalid_request", "wait must be a whole number of seconds from 0 to 60");
  if (wait !== undefined && Number(wait) > 60) throw new ApiError("invalid_request", "wait must be a whole number of seconds from 0 to 60");
  if (!/^job_[0-9a-f]{24}$/.test(id)) throw new ApiError("not_found", `no job ${id.slice(0, 64)}`);
  await flushed(c.env, p.tenant);
  const db = drizzle(c.env.DB);
  const rows = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenant, p.tenant), eq(jobs.id, id)))
    .limit(1);
  const row = rows[0];
  if (!row) throw new ApiError("not_found", `no job ${id}`);
  const timeline = await db
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
    job: JSON.parse(row.job) as unknown,
    timeline: timeline.map((r) => fromRow(r as AuditRow)),
  });
});

v1.get("/audit", async (c) => {
  const p = requireRole(c, "admin");
  const q = validate(auditQuery, c.req.query());
  await flushed(c.env, p.tenant);
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
  await flushed(c.env, p.tenant);
  const anchor = await ledger(c.env, p.tenant).anchor();
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
