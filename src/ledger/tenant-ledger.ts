import { DurableObject } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { ApprovalInit } from "../approvals/approval-object";
import { type AuditRecord, GENESIS, recordHash, toRow } from "../audit/chain";
import { redactJson } from "../audit/redact";
import { auditRecords } from "../audit/schema";
import { canonicalJson } from "../engine/canonical";
import type { Engine } from "../engine/evaluator";
import type { JobInput } from "../engine/job-schema";
import { sha256Hex } from "../engine/sha256";
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

/** An event after a decision, sealed into the chain by `appendEvents`. */
export interface LedgerEvent {
  type: string;
  job_id: string | null;
  actor: string | null;
  decision?: string | null;
  rule_id?: string | null;
  reason?: string | null;
  risk_tags?: string[];
  capability?: string | null;
  snapshot_hash?: string | null;
  request_hash?: string | null;
  detail?: Record<string, unknown>;
  /** The job's new state, copied to D1's `jobs` row with the record. */
  job_update?: { state: string; outcome: Record<string, unknown> };
}

/** A job as the D1 `jobs` table stores it (camelCase keys, as in the outbox). */
interface JobRow {
  tenant: string;
  id: string;
  clientId: string | null;
  createdAt: string;
  state: string;
  decision: string;
  requestHash: string;
  response: string;
  job: string;
}

/**
 * The ledger's answer for one job. `body` is the evaluate response already
 * serialized (the same text the jobs table stores): a string crosses the RPC
 * boundary far more cheaply than the object, and the Worker sends it as is.
 */
export type LedgerAnswer = { ok: true; body: string; replayed: boolean; approval: boolean } | { ok: false; status: 503; message: string };

const JOB_STATE = {
  ALLOW: "allowed",
  ALLOW_WITH_CONSTRAINTS: "allowed",
  DENY: "denied",
  REQUIRE_APPROVAL: "pending_approval",
} as const;

/** Outbox rows copied to D1 per statement pair. */
const FLUSH_BATCH = 500;
/** How soon after a decision its record is copied to D1. */
const FLUSH_DELAY_MS = 1000;

function newId(prefix: string): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}_${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * One per tenant: the tenant's ledger. It decides each job, counts velocity,
 * makes `job.id` idempotent and seals each decision's audit record into the
 * tenant's hash chain, all in one synchronous transaction on its own SQLite
 * storage. The Durable Object's output gate holds the answer until that
 * transaction is durable, so no decision leaves unrecorded; and because the
 * block never yields, concurrent requests cannot interleave (no lock, no
 * shared promises). Storage writes from concurrent requests are flushed
 * together by the runtime: the group commit comes for free.
 *
 * D1 is where the trail is kept and queried: records wait in an outbox and
 * are copied to D1 in batches by an alarm shortly after, and on demand before
 * any read of the trail (`flush`), so readers always see every decision.
 * Copying is idempotent (INSERT OR IGNORE on the primary keys) and only
 * deletes from the outbox what D1 acknowledged.
 */
export class TenantLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** The chain head, read from storage once and then kept here; it moves only after a transaction that wrote it returned. */
  private head: { seq: number; hash: string } | null = null;
  private alarmPending = false;
  /** Tests swap the engine to exercise a policy other than the bundled one. */
  engine: Engine = deployedEngine;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS velocity_events (
      rule_id TEXT NOT NULL, key TEXT NOT NULL, ref TEXT NOT NULL, at INTEGER NOT NULL,
      PRIMARY KEY (rule_id, ref))`);
    this.sql.exec("CREATE INDEX IF NOT EXISTS velocity_by_key ON velocity_events (rule_id, key, at)");
    this.sql.exec("CREATE TABLE IF NOT EXISTS head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL)");
    this.sql.exec("CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, audit TEXT NOT NULL, job TEXT NOT NULL)");
    this.sql.exec("CREATE TABLE IF NOT EXISTS jobs_by_client (client_id TEXT PRIMARY KEY, response TEXT NOT NULL)");
    // Job state changes after the decision (approval outcomes), copied to D1 after the records they follow.
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS job_updates (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, state TEXT NOT NULL, outcome TEXT NOT NULL)",
    );
    // Approvals sealed in the chain whose Durable Object is not yet known to exist: created after the
    // transaction, retried by the alarm until it takes.
    this.sql.exec("CREATE TABLE IF NOT EXISTS approvals_to_open (id TEXT PRIMARY KEY, init TEXT NOT NULL)");
  }

  private readHead(): { seq: number; hash: string } | null {
    const row = this.sql.exec<{ seq: number; hash: string }>("SELECT seq, hash FROM head WHERE id = 1").toArray()[0];
    return row ? { seq: row.seq, hash: row.hash } : null;
  }

  /**
   * The chain head lives in this object. The first time a tenant's ledger
   * starts with no head (new tenant, or state lost), it continues from D1's
   * last record rather than forking the chain.
   */
  private async ensureHead(tenant: string): Promise<void> {
    if (this.head) return;
    if (!this.readHead()) {
      const rows = await drizzle(this.env.DB)
        .select({ seq: auditRecords.seq, hash: auditRecords.hash })
        .from(auditRecords)
        .where(eq(auditRecords.tenant, tenant))
        .orderBy(desc(auditRecords.seq))
        .limit(1);
      const from = rows[0] ?? { seq: 0, hash: GENESIS };
      this.sql.exec("INSERT OR IGNORE INTO head (id, seq, hash) VALUES (1, ?, ?)", from.seq, from.hash);
    }
    this.head ??= this.readHead() ?? { seq: 0, hash: GENESIS };
  }

  /**
   * The head to seal after. Read inside the synchronous transaction, never
   * before an await: two calls that both awaited ensureHead must not start
   * from the same head.
   */
  private currentHead(): { seq: number; hash: string } {
    if (!this.head) throw new Error("ledger head not loaded");
    return this.head;
  }

  /** The last seq and hash this ledger sealed: verification compares D1's tail with it. */
  anchor(): { seq: number; hash: string } | null {
    const h = this.readHead();
    return h && h.seq > 0 ? h : null;
  }

  /** Decide several jobs of this tenant in one call (the Worker coalesces concurrent requests). */
  async evaluateMany(tenant: string, batch: JobInput[]): Promise<LedgerAnswer[]> {
    try {
      await this.ensureHead(tenant);
    } catch (e) {
      console.error("ledger head unavailable", e);
      return batch.map(() => ({ ok: false, status: 503, message: "the audit ledger is unavailable; the job was not evaluated" }));
    }
    const answers = this.decideBatch(tenant, batch);
    this.scheduleFlush();
    // The decision and its approval.requested record are sealed; the approval's
    // own object is created now, and if that fails the alarm retries it.
    if (answers.some((a) => a.ok && !a.replayed && a.approval)) await this.openApprovals();
    return answers;
  }

  /**
   * Seal events that follow a decision (approval votes, resolution, expiry,
   * resume) into the chain, with an optional change of the job's state.
   * Returns their seqs once they are durable; throws if they could not be written.
   */
  async appendEvents(tenant: string, events: LedgerEvent[]): Promise<number[]> {
    await this.ensureHead(tenant);
    const now = Date.now();
    const sealed = this.ctx.storage.transactionSync(() => {
      let head = this.currentHead();
      const out: AuditRecord[] = [];
      for (const e of events) {
        const unsealed = {
          seq: head.seq + 1,
          at: new Date(now).toISOString(),
          tenant,
          type: e.type,
          job_id: e.job_id,
          actor: e.actor,
          decision: e.decision ?? null,
          rule_id: e.rule_id ?? null,
          reason: e.reason ?? null,
          risk_tags: e.risk_tags ?? [],
          capability: e.capability ?? null,
          snapshot_hash: e.snapshot_hash ?? null,
          request_hash: e.request_hash ?? null,
          detail: e.detail ?? {},
          prev_hash: head.hash,
        };
        const record: AuditRecord = { ...unsealed, hash: recordHash(unsealed) };
        this.sql.exec("INSERT INTO outbox (seq, audit, job) VALUES (?, ?, 'null')", record.seq, JSON.stringify(toRow(record)));
        if (e.job_update && e.job_id)
          this.sql.exec(
            "INSERT INTO job_updates (seq, id, state, outcome) VALUES (?, ?, ?, ?)",
            record.seq,
            e.job_id,
            e.job_update.state,
            JSON.stringify(e.job_update.outcome),
          );
        head = record;
        out.push(record);
      }
      this.sql.exec("INSERT OR REPLACE INTO head (id, seq, hash) VALUES (1, ?, ?)", head.seq, head.hash);
      return out;
    });
    const last = sealed[sealed.length - 1];
    if (last) this.head = { seq: last.seq, hash: last.hash };
    this.scheduleFlush();
    return sealed.map((r) => r.seq);
  }

  /** Create the Durable Object of every approval sealed but not yet opened. */
  private async openApprovals(): Promise<void> {
    const rows = this.sql.exec<{ id: string; init: string }>("SELECT id, init FROM approvals_to_open").toArray();
    for (const r of rows) {
      try {
        await this.env.APPROVALS.get(this.env.APPROVALS.idFromName(r.id)).open(JSON.parse(r.init) as ApprovalInit);
        this.sql.exec("DELETE FROM approvals_to_open WHERE id = ?", r.id);
      } catch (e) {
        console.error("opening approval failed; the alarm retries", r.id, e);
        this.scheduleFlush();
      }
    }
  }

  async evaluate(tenant: string, job: JobInput): Promise<LedgerAnswer> {
    return (await this.evaluateMany(tenant, [job]))[0] as LedgerAnswer;
  }

  /**
   * Decide a batch in one synchronous transaction, from idempotency checks to
   * sealed records: nothing can interleave, and the batch is written with a
   * handful of statements rather than several per job. All or nothing: if
   * the write fails, no job of the batch was decided (each gets a 503).
   */
  private decideBatch(tenant: string, batch: JobInput[], now = Date.now()): LedgerAnswer[] {
    try {
      let head = this.currentHead();
      const answers = this.ctx.storage.transactionSync(() => {
        const outbox: string[] = [];
        const clientRows: [string, string][] = [];
        const seen = new Map<string, string>();
        const answers = batch.map((job): LedgerAnswer => {
          const clientId = job.id ?? null;
          if (clientId !== null) {
            const earlier =
              seen.get(clientId) ??
              this.sql.exec<{ response: string }>("SELECT response FROM jobs_by_client WHERE client_id = ?", clientId).toArray()[0]
                ?.response;
            if (earlier !== undefined) return { ok: true, body: earlier, replayed: true, approval: false };
          }
          const { response, record, jobRow, result } = this.decide(tenant, job, head, now);
          head = record;
          outbox.push(`[${record.seq},${JSON.stringify(JSON.stringify(toRow(record)))},${JSON.stringify(JSON.stringify(jobRow))}]`);
          if (response.approval && result.approval) {
            const init: ApprovalInit = {
              id: response.approval.id,
              tenant,
              job_id: response.job_id,
              job,
              created_at: record.at,
              expires_at: response.approval.expires_at,
              quorum: response.approval.quorum,
              approvers: response.approval.approvers,
              rule_id: response.rule_id,
              reason: response.reason,
              snapshot_hash: response.snapshot_hash,
              request_hash: response.request_hash,
              derived: response.derived,
            };
            const requested = this.seal(head, {
              type: "approval.requested",
              tenant,
              at: record.at,
              job_id: response.job_id,
              actor: job.actor?.id ?? null,
              decision: response.decision,
              rule_id: response.rule_id,
              reason: response.reason,
              risk_tags: response.derived.risk_tags,
              capability: response.derived.capability ?? null,
              snapshot_hash: response.snapshot_hash,
              request_hash: response.request_hash,
              detail: {
                approval_id: init.id,
                approvers: init.approvers,
                quorum: init.quorum,
                expires_at: init.expires_at,
              },
            });
            head = requested;
            outbox.push(`[${requested.seq},${JSON.stringify(JSON.stringify(toRow(requested)))},"null"]`);
            this.sql.exec("INSERT INTO approvals_to_open (id, init) VALUES (?, ?)", init.id, JSON.stringify(init));
          }
          if (clientId !== null) {
            seen.set(clientId, jobRow.response);
            clientRows.push([clientId, jobRow.response]);
          }
          return { ok: true, body: jobRow.response, replayed: false, approval: response.approval !== undefined };
        });
        if (outbox.length > 0) {
          this.sql.exec(
            "INSERT INTO outbox (seq, audit, job) SELECT value ->> 0, value ->> 1, value ->> 2 FROM jsonb_each(?)",
            `[${outbox.join(",")}]`,
          );
          this.sql.exec("INSERT OR REPLACE INTO head (id, seq, hash) VALUES (1, ?, ?)", head.seq, head.hash);
        }
        if (clientRows.length > 0)
          this.sql.exec(
            "INSERT INTO jobs_by_client (client_id, response) SELECT value ->> 0, value ->> 1 FROM jsonb_each(?)",
            JSON.stringify(clientRows),
          );
        return answers;
      });
      this.head = head;
      return answers;
    } catch (e) {
      console.error("ledger write failed", e);
      return batch.map(() => ({
        ok: false,
        status: 503,
        message: "the audit ledger could not record the decision; the job was not evaluated",
      }));
    }
  }

  /** Decide one job after `head` and seal its record (velocity events are written here; the caller writes the rest). */
  private decide(
    tenant: string,
    job: JobInput,
    head: { seq: number; hash: string },
    now: number,
  ): { response: EvaluateResponse; record: AuditRecord; jobRow: JobRow; result: EvaluationResult } {
    const clientId = job.id ?? null;
    const jobId = newId("job");
    let result = this.engine.evaluate(job, { tenant });
    if (result.velocity.length > 0) {
      const counts: Record<string, number> = {};
      for (const v of result.velocity) {
        counts[v.rule_id] = this.sql
          .exec<{ n: number }>(
            "SELECT COUNT(*) AS n FROM velocity_events WHERE rule_id = ? AND key = ? AND at > ?",
            v.rule_id,
            v.key,
            now - v.per_sec * 1000,
          )
          .one().n;
      }
      result = this.engine.evaluate(job, { tenant, velocityCounts: counts });
    }
    const requestHash = `sha256:${sha256Hex(canonicalJson(result.effective_job))}`;
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
      derived: redactJson(result.derived),
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
    const unsealed = {
      seq: head.seq + 1,
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
      prev_hash: head.hash,
    };
    const record: AuditRecord = { ...unsealed, hash: recordHash(unsealed) };
    const jobRow: JobRow = {
      tenant,
      id: jobId,
      clientId,
      createdAt: at,
      state: JOB_STATE[result.decision],
      decision: result.decision,
      requestHash,
      response: JSON.stringify(response),
      job: canonicalJson(redactJson(job)),
    };
    const ref = clientId ?? jobId;
    for (const v of result.velocity) {
      this.sql.exec("INSERT OR IGNORE INTO velocity_events (rule_id, key, ref, at) VALUES (?, ?, ?, ?)", v.rule_id, v.key, ref, now);
      this.sql.exec("DELETE FROM velocity_events WHERE rule_id = ? AND key = ? AND at <= ?", v.rule_id, v.key, now - v.per_sec * 1000);
    }
    return { response, record, jobRow, result };
  }

  /** Seal one record after `head`. */
  private seal(head: { seq: number; hash: string }, r: Omit<AuditRecord, "seq" | "prev_hash" | "hash">): AuditRecord {
    const unsealed = { seq: head.seq + 1, ...r, prev_hash: head.hash };
    return { ...unsealed, hash: recordHash(unsealed) };
  }

  private scheduleFlush(): void {
    if (this.alarmPending) return;
    this.alarmPending = true;
    void this.ctx.storage.setAlarm(Date.now() + FLUSH_DELAY_MS);
  }

  override async alarm(): Promise<void> {
    this.alarmPending = false;
    // A failure throws: the runtime retries the alarm with backoff, and the
    // records stay in the outbox until D1 takes them.
    await this.openApprovals();
    await this.flush();
  }

  /**
   * Copy every outbox record to D1, oldest first, and return how many were
   * copied. Readers of the trail call this first, so D1 is complete when they
   * query it. Throws when D1 refuses (the records stay in the outbox).
   */
  async flush(): Promise<number> {
    let copied = 0;
    for (;;) {
      const rows = this.sql
        .exec<{ seq: number; audit: string; job: string }>("SELECT seq, audit, job FROM outbox ORDER BY seq LIMIT ?", FLUSH_BATCH)
        .toArray();
      if (rows.length === 0) return copied;
      const db = this.env.DB;
      const last = rows[rows.length - 1]?.seq ?? 0;
      const jobRows = rows.filter((r) => r.job !== "null");
      const updates = this.sql
        .exec<{ seq: number; id: string; state: string; outcome: string }>(
          "SELECT seq, id, state, outcome FROM job_updates WHERE seq <= ? ORDER BY seq",
          last,
        )
        .toArray();
      const tenant = rows[0] ? (JSON.parse(rows[0].audit) as { tenant: string }).tenant : "";
      // jsonb_each: each record's JSON is parsed once into SQLite's binary form,
      // rather than once per `->>` as json_each's text values are.
      await db.batch([
        db
          .prepare(`INSERT OR IGNORE INTO audit_records (tenant, seq, at, type, job_id, actor, decision, rule_id, reason, risk_tags, capability, snapshot_hash, request_hash, detail, prev_hash, hash)
          SELECT value ->> 'tenant', value ->> 'seq', value ->> 'at', value ->> 'type', value ->> 'jobId', value ->> 'actor', value ->> 'decision', value ->> 'ruleId',
                 value ->> 'reason', value ->> 'riskTags', value ->> 'capability', value ->> 'snapshotHash', value ->> 'requestHash', value ->> 'detail',
                 value ->> 'prevHash', value ->> 'hash'
          FROM jsonb_each(?)`)
          .bind(`[${rows.map((r) => r.audit).join(",")}]`),
        db
          .prepare(`INSERT OR IGNORE INTO jobs (tenant, id, client_id, created_at, state, decision, request_hash, response, job)
          SELECT value ->> 'tenant', value ->> 'id', value ->> 'clientId', value ->> 'createdAt', value ->> 'state', value ->> 'decision', value ->> 'requestHash',
                 value ->> 'response', value ->> 'job'
          FROM jsonb_each(?)`)
          .bind(`[${jobRows.map((r) => r.job).join(",")}]`),
        // In seq order, after the rows they change: the last state wins, as in the chain.
        ...updates.map((u) =>
          db.prepare("UPDATE jobs SET state = ?, outcome = ? WHERE tenant = ? AND id = ?").bind(u.state, u.outcome, tenant, u.id),
        ),
      ]);
      this.sql.exec("DELETE FROM outbox WHERE seq <= ?", last);
      this.sql.exec("DELETE FROM job_updates WHERE seq <= ?", last);
      copied += rows.length;
    }
  }
}
