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
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** D1 allows at most this many statements' worth of rows per commit we build. */
const MAX_BATCH = 64;

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
  private readonly inflight = new Map<string, Promise<LedgerAnswer>>();
  private readonly sql: SqlStorage;
  /** Tests swap the engine to exercise a policy other than the bundled one. */
  engine: Engine = deployedEngine;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // Velocity events and the chain anchor live in the object's own SQLite:
    // synchronous reads and writes make count-then-decide atomic.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS velocity_events (
      rule_id TEXT NOT NULL, key TEXT NOT NULL, ref TEXT NOT NULL, at INTEGER NOT NULL,
      PRIMARY KEY (rule_id, ref))`);
    this.sql.exec("CREATE INDEX IF NOT EXISTS velocity_by_key ON velocity_events (rule_id, key, at)");
    this.sql.exec("CREATE TABLE IF NOT EXISTS anchor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL)");
  }

  /** The last seq and hash this ledger committed: verification compares D1's tail with it. */
  anchor(): { seq: number; hash: string } | null {
    const row = this.sql.exec<{ seq: number; hash: string }>("SELECT seq, hash FROM anchor WHERE id = 1").toArray()[0];
    return row ? { seq: row.seq, hash: row.hash } : null;
  }

  async evaluate(tenant: string, job: JobInput): Promise<LedgerAnswer> {
    const clientId = job.id ?? null;
    if (clientId !== null) {
      const running = this.inflight.get(clientId);
      if (running) return this.replay(await running);
      // Registered before the first await, so a concurrent retry of the same id
      // waits for this one instead of deciding a second time.
      const p = this.findOrDecide(tenant, job, clientId);
      this.inflight.set(clientId, p);
      try {
        return await p;
      } finally {
        this.inflight.delete(clientId);
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
    try {
      await new Promise<void>((resolve, reject) => {
        this.queue.push({ record, job: jobRow, velocityRefs, resolve, reject });
        if (!this.draining) void this.drain(tenant);
      });
    } catch (e) {
      console.error("audit commit failed", e);
      return { ok: false, status: 503, message: "the audit store could not record the decision; the job was not evaluated" };
    }
    return { ok: true, response, replayed: false };
  }

  private async drain(tenant: string): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.commit(tenant, batch);
          for (const p of batch) p.resolve();
        } catch (e) {
          // Nothing of this batch is in D1 (a D1 batch is one transaction):
          // give back the velocity counts and re-read the head next time.
          this.head = null;
          for (const p of batch) for (const ref of p.velocityRefs) this.sql.exec("DELETE FROM velocity_events WHERE ref = ?", ref);
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.draining = false;
    }
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
    const db = drizzle(this.env.DB);
    const statements = [
      ...sealed.map((r) => db.insert(auditRecords).values(toRow(r))),
      ...batch.map((p) => db.insert(jobs).values({ tenant, ...p.job })),
    ];
    await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
    this.head = { seq, hash };
    this.sql.exec(
      "INSERT INTO anchor (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
      seq,
      hash,
    );
  }
}
