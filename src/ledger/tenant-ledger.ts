import { DurableObject } from "cloudflare:workers";
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type AuditRecord, GENESIS, recordHash, toRow } from "../audit/chain";
import { auditRecords, jobs } from "../audit/schema";
import { canonicalJson, hashCanonical } from "../engine/canonical";
import type { Engine } from "../engine/evaluator";
import type { JobInput } from "../engine/job-schema";
import type { EvaluationResult } from "../engine/types";
import { engine as deployedEngine } from "../worker/engine";
import { waitFor } from "../worker/wait";

/** What POST /v1/evaluate returns (api.md). */
export interface EvaluateResponse {
  job_id: string;
  decision: EvaluationResult["decision"];
  reason: string;
  rule_id: string | null;
  matched_rules: string[];
  constraints: EvaluationResult["constraints"];
  snapshot_hash: string;
  request_hash: string;
  derived: EvaluationResult["derived"];
  approval?: { id: string; status: "pending"; expires_at: string; quorum: number; approvers: string[] };
}

export type LedgerAnswer = { ok: true; response: EvaluateResponse; replayed: boolean } | { ok: false; status: 503; message: string };

interface Pending {
  record: Omit<AuditRecord, "seq" | "prev_hash" | "hash">;
  job: {
    id: string;
    clientId: string | null;
    createdAt: string;
    state: string;
    decision: string;
    requestHash: string;
    response: string;
    job: string;
  };
  velocityRefs: string[];
  status: "committed" | "failed" | undefined;
  /** Wakes the request that owns this record: to commit a batch itself ("lead") or because its batch settled. */
  signal: ((s: "lead" | "settled") => void) | undefined;
}

/** How long a request waits for another's commit before answering 503. */
const WAIT_MS = 20_000;

/** Records per commit; a commit is two statements whatever its size. */
const MAX_BATCH = 256;

function newId(prefix: string): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}_${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;
}

const JOB_STATE = {
  ALLOW: "allowed",
  ALLOW_WITH_CONSTRAINTS: "allowed",
  DENY: "denied",
  REQUIRE_APPROVAL: "pending_approval",
} as const;

/**
 * One per tenant. It orders the tenant's audit hash chain, keeps velocity
 * counters strongly consistent and makes `job.id` idempotent. Decisions are
 * group-committed: every evaluation that arrives while a D1 write is in flight
 * joins the next write, so a burst costs one D1 round trip, not one per
 * request. A caller gets its answer only after the D1 batch holding its audit
 * record and job record committed; if D1 fails, the answer is 503 and the
 * velocity counts it took are given back.
 */
export class TenantLedger extends DurableObject<Env> {
  private head: { seq: number; hash: string } | null = null;
  private queue: Pending[] = [];
  private draining = false;
  /** Requests waiting on a job id another request is deciding. */
  private readonly inflight = new Map<string, ((a: LedgerAnswer) => void)[]>();
  private readonly sql: SqlStorage;
  /** Tests swap the engine to exercise a policy other than the bundled one. */
  engine: Engine = deployedEngine;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // Velocity events live in the object's own SQLite: synchronous reads and
    // writes make count-then-decide atomic.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS velocity_events (
      rule_id TEXT NOT NULL, key TEXT NOT NULL, ref TEXT NOT NULL, at INTEGER NOT NULL,
      PRIMARY KEY (rule_id, ref))`);
    this.sql.exec("CREATE INDEX IF NOT EXISTS velocity_by_key ON velocity_events (rule_id, key, at)");
  }

  /** The last seq and hash this ledger committed: verification compares D1's tail with it. */
  async anchor(): Promise<{ seq: number; hash: string } | null> {
    return (await this.ctx.storage.get<{ seq: number; hash: string }>("anchor")) ?? null;
  }

  /**
   * Decide several jobs of this tenant in one call (the Worker coalesces the
   * requests that arrive while its previous call is in flight). Each job gets
   * its own answer; their records share one D1 commit.
   */
  async evaluateMany(tenant: string, batch: JobInput[]): Promise<LedgerAnswer[]> {
    return Promise.all(batch.map((job) => this.evaluate(tenant, job)));
  }

  async evaluate(tenant: string, job: JobInput): Promise<LedgerAnswer> {
    const clientId = job.id ?? null;
    if (clientId !== null) {
      const waiting = this.inflight.get(clientId);
      // Each request waits on a promise it created itself (Workers bind a
      // promise's continuations to the request that created it).
      if (waiting) return this.replay(await waitFor<LedgerAnswer>((resolve) => waiting.push(resolve), WAIT_MS));
      // Registered before the first await, so a concurrent retry of the same id
      // waits for this one instead of deciding a second time.
      const waiters: ((a: LedgerAnswer) => void)[] = [];
      this.inflight.set(clientId, waiters);
      let answer: LedgerAnswer = { ok: false, status: 503, message: "the job was not evaluated" };
      try {
        answer = await this.findOrDecide(tenant, job, clientId);
        return answer;
      } finally {
        this.inflight.delete(clientId);
        for (const w of waiters) w(answer);
      }
    }
    return this.decide(tenant, job, null);
  }

  private async findOrDecide(tenant: string, job: JobInput, clientId: string): Promise<LedgerAnswer> {
    let stored: EvaluateResponse | null;
    try {
      stored = await this.findByClientId(tenant, clientId);
    } catch (e) {
      console.error("job lookup failed", e);
      return { ok: false, status: 503, message: "the audit store is unavailable; the job was not evaluated" };
    }
    if (stored) return { ok: true, response: stored, replayed: true };
    return this.decide(tenant, job, clientId);
  }

  private replay(a: LedgerAnswer): LedgerAnswer {
    return a.ok ? { ...a, replayed: true } : a;
  }

  private async findByClientId(tenant: string, clientId: string): Promise<EvaluateResponse | null> {
    const rows = await drizzle(this.env.DB)
      .select({ response: jobs.response })
      .from(jobs)
      .where(and(eq(jobs.tenant, tenant), eq(jobs.clientId, clientId)))
      .limit(1);
    return rows[0] ? (JSON.parse(rows[0].response) as EvaluateResponse) : null;
  }

  private async decide(tenant: string, job: JobInput, clientId: string | null): Promise<LedgerAnswer> {
    const now = Date.now();
    const jobId = newId("job");
    // Count, decide and record velocity in one synchronous stretch: no other
    // request of this tenant can interleave, so counts are exact.
    let result = this.engine.evaluate(job, { tenant });
    const velocityRefs: string[] = [];
    if (result.velocity.length > 0) {
      const counts: Record<string, number> = {};
      for (const v of result.velocity) {
        const row = this.sql
          .exec<{ n: number }>(
            "SELECT COUNT(*) AS n FROM velocity_events WHERE rule_id = ? AND key = ? AND at > ?",
            v.rule_id,
            v.key,
            now - v.per_sec * 1000,
          )
          .one();
        counts[v.rule_id] = row.n;
      }
      result = this.engine.evaluate(job, { tenant, velocityCounts: counts });
      const ref = clientId ?? jobId;
      for (const v of result.velocity) {
        this.sql.exec("INSERT OR IGNORE INTO velocity_events (rule_id, key, ref, at) VALUES (?, ?, ?, ?)", v.rule_id, v.key, ref, now);
        this.sql.exec("DELETE FROM velocity_events WHERE rule_id = ? AND key = ? AND at <= ?", v.rule_id, v.key, now - v.per_sec * 1000);
        velocityRefs.push(ref);
      }
    }

    const requestHash = await hashCanonical(result.effective_job);
    const at = new Date(now).toISOString();
    const response: EvaluateResponse = {
      job_id: jobId,
      decision: result.decision,
      reason: result.reason,
      rule_id: result.rule_id,
      matched_rules: result.matched_rules,
      constraints: result.constraints,
      snapshot_hash: result.snapshot_hash,
      request_hash: requestHash,
      derived: result.derived,
    };
    if (result.decision === "REQUIRE_APPROVAL" && result.approval) {
      response.approval = {
        id: newId("apr"),
        status: "pending",
        expires_at: new Date(now + result.approval.ttl_sec * 1000).toISOString(),
        quorum: result.approval.quorum,
        approvers: result.approval.approvers,
      };
    }
    const record: Pending["record"] = {
      at,
      tenant,
      type: "decision",
      job_id: jobId,
      actor: job.actor?.id ?? null,
      decision: result.decision,
      rule_id: result.rule_id,
      reason: result.reason,
      risk_tags: result.derived.risk_tags,
      capability: result.derived.capability ?? null,
      snapshot_hash: result.snapshot_hash,
      request_hash: requestHash,
      detail: {
        client_job_id: clientId,
        matched_rules: result.matched_rules,
        constraints: result.constraints,
        shadow_matches: result.shadow_matches,
        velocity: result.velocity,
        ...(response.approval ? { approval_id: response.approval.id } : {}),
      },
    };
    const jobRow: Pending["job"] = {
      id: jobId,
      clientId,
      createdAt: at,
      state: JOB_STATE[result.decision],
      decision: result.decision,
      requestHash,
      response: JSON.stringify(response),
      job: canonicalJson(job),
    };
    const pending: Pending = { record, job: jobRow, velocityRefs, status: undefined, signal: undefined };
    let first = true;
    while (pending.status === undefined) {
      const signal = await waitFor<"lead" | "settled">((resolve) => {
        pending.signal = resolve;
        if (!first) return;
        first = false;
        this.queue.push(pending);
        if (!this.draining) {
          // Commit once the jobs of the current call have queued (a microtask
          // later), so they share one D1 write; later arrivals queue behind it.
          this.draining = true;
          queueMicrotask(() => queueMicrotask(() => resolve("lead")));
        }
      }, WAIT_MS);
      if (signal === "lead") await this.commitNext(tenant);
    }
    if (pending.status === "failed") {
      return { ok: false, status: 503, message: "the audit store could not record the decision; the job was not evaluated" };
    }
    return { ok: true, response, replayed: false };
  }

  /**
   * Commit the batch at the head of the queue, from the context of a request
   * whose record is in it; then hand the next batch to one of its own requests.
   */
  private async commitNext(tenant: string): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      await this.commit(tenant, batch);
      for (const p of batch) p.status = "committed";
    } catch (e) {
      console.error("audit commit failed", e);
      // Nothing of this batch is in D1 (a D1 batch is one transaction):
      // give back the velocity counts and re-read the head next time.
      this.head = null;
      for (const p of batch) for (const ref of p.velocityRefs) this.sql.exec("DELETE FROM velocity_events WHERE ref = ?", ref);
      for (const p of batch) p.status = "failed";
    }
    for (const p of batch) p.signal?.("settled");
    const next = this.queue[0];
    if (next) next.signal?.("lead");
    else this.draining = false;
  }

  private async loadHead(tenant: string): Promise<{ seq: number; hash: string }> {
    if (this.head) return this.head;
    const rows = await drizzle(this.env.DB)
      .select({ seq: auditRecords.seq, hash: auditRecords.hash })
      .from(auditRecords)
      .where(eq(auditRecords.tenant, tenant))
      .orderBy(desc(auditRecords.seq))
      .limit(1);
    this.head = rows[0] ?? { seq: 0, hash: GENESIS };
    return this.head;
  }

  private async commit(tenant: string, batch: Pending[]): Promise<void> {
    const head = await this.loadHead(tenant);
    let { seq, hash } = head;
    const sealed: AuditRecord[] = [];
    for (const p of batch) {
      seq += 1;
      const unsealed = { ...p.record, seq, prev_hash: hash };
      hash = await recordHash(unsealed);
      sealed.push({ ...unsealed, hash });
    }
    // Two statements per commit however many records it carries: each table
    // gets one INSERT … SELECT over a JSON array bound as a single parameter
    // (D1 caps bound parameters per statement, and a statement per row would
    // make the write cost grow with the batch).
    const db = this.env.DB;
    await db.batch([
      db
        .prepare(`INSERT INTO audit_records (tenant, seq, at, type, job_id, actor, decision, rule_id, reason, risk_tags, capability, snapshot_hash, request_hash, detail, prev_hash, hash)
        SELECT value ->> 'tenant', value ->> 'seq', value ->> 'at', value ->> 'type', value ->> 'jobId', value ->> 'actor', value ->> 'decision', value ->> 'ruleId',
               value ->> 'reason', value ->> 'riskTags', value ->> 'capability', value ->> 'snapshotHash', value ->> 'requestHash', value ->> 'detail',
               value ->> 'prevHash', value ->> 'hash'
        FROM json_each(?)`)
        .bind(JSON.stringify(sealed.map(toRow))),
      db
        .prepare(`INSERT INTO jobs (tenant, id, client_id, created_at, state, decision, request_hash, response, job)
        SELECT value ->> 'tenant', value ->> 'id', value ->> 'clientId', value ->> 'createdAt', value ->> 'state', value ->> 'decision', value ->> 'requestHash',
               value ->> 'response', value ->> 'job'
        FROM json_each(?)`)
        .bind(JSON.stringify(batch.map((p) => ({ tenant, ...p.job })))),
    ]);
    this.head = { seq, hash };
    // The anchor is written without holding the answer for its own flush: the
    // record is already durable in D1, and waiting for a second disk sync
    // would double the latency. At worst a crash loses the anchor's last few
    // milliseconds, so a truncation of only those records would go unseen.
    void this.ctx.storage.put("anchor", { seq, hash }, { allowUnconfirmed: true });
  }
}
