import { DurableObject } from "cloudflare:workers";
import { redactJson } from "../audit/redact";
import type { Engine } from "../engine/evaluator";
import type { JobInput } from "../engine/job-schema";
import type { LedgerEvent } from "../ledger/tenant-ledger";
import { engine as deployedEngine } from "../worker/engine";
import type { ApprovalStatus, ApprovalView, ApprovalVote, VoteValue } from "./types";

/** What the tenant's ledger knows when it opens an approval. */
export interface ApprovalInit {
  id: string;
  tenant: string;
  job_id: string;
  job: JobInput;
  created_at: string;
  expires_at: string;
  quorum: number;
  approvers: string[];
  rule_id: string | null;
  reason: string;
  snapshot_hash: string;
  request_hash: string;
  derived: ApprovalView["derived"];
}

export interface VoteInput {
  tenant: string;
  approver: string;
  vote: VoteValue;
  note?: string | null;
  via: ApprovalVote["via"];
  /** A signed link's nonce: each link works once. */
  nonce?: string;
  /** Slack's response_url for the message the vote came from: the outcome replaces it. */
  response_url?: string;
}

export type VoteOutcome =
  | { ok: true; approval: ApprovalView }
  | { ok: false; code: "not_found" | "forbidden" | "conflict" | "unavailable"; message: string; approval?: ApprovalView };

/** The object's RPC surface, as callers see it. */
export type ApprovalRpc = Pick<Approval, "open" | "view" | "wait" | "vote" | "postedToSlack" | "slackMessage" | "linkUsed" | "tenantOf">;

/** A queued notification: the Slack message for a new approval, its outcome, or the job's callback. */
export type Notification =
  | { kind: "slack.request"; tenant: string; approval_id: string }
  | { kind: "slack.outcome"; tenant: string; approval_id: string; response_url?: string }
  | { kind: "callback"; tenant: string; approval_id: string; url: string };

interface State {
  init: ApprovalInit;
  status: ApprovalStatus;
  resolved_at: string | null;
  outcome: ApprovalView["outcome"];
  /** Where the Slack message went, so the outcome can replace it. */
  slack: { channel: string; ts: string } | null;
}

const RETRY_NOTIFY_MS = 5_000;

function identityOf(s: string): string {
  const i = s.indexOf(":");
  return (i >= 0 ? s.slice(i + 1) : s).trim().toLowerCase();
}

/**
 * One Durable Object per approval: the job it holds back, who may decide, the
 * votes and the status. Votes are applied one at a time (blockConcurrencyWhile),
 * and each is sealed into the tenant's audit chain before it counts, so
 * concurrent votes can neither double-count an approver nor resolve twice, and
 * no vote counts that the trail does not show. The alarm expires it.
 */
export class Approval extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Requests waiting for the resolution (`GET /v1/jobs/{id}?wait=`). */
  private readonly waiters = new Set<() => void>();
  /** Tests swap the engine to change the deployed policy between request and approval. */
  engine: Engine = deployedEngine;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL)");
    this.sql.exec(`CREATE TABLE IF NOT EXISTS votes (
      approver TEXT PRIMARY KEY, vote TEXT NOT NULL, note TEXT, at TEXT NOT NULL, via TEXT NOT NULL, seq INTEGER NOT NULL)`);
    this.sql.exec("CREATE TABLE IF NOT EXISTS used_links (nonce TEXT PRIMARY KEY, at TEXT NOT NULL)");
    // Notifications not yet handed to the queue: rows of their own, so sending them never races a vote's state change.
    this.sql.exec("CREATE TABLE IF NOT EXISTS unsent (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)");
  }

  private load(): State | null {
    const row = this.sql.exec<{ data: string }>("SELECT data FROM state WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.data) as State) : null;
  }

  private save(s: State): void {
    this.sql.exec("INSERT OR REPLACE INTO state (id, data) VALUES (1, ?)", JSON.stringify(s));
  }

  private votes(): ApprovalVote[] {
    return this.sql
      .exec<{ approver: string; vote: VoteValue; note: string | null; at: string; via: ApprovalVote["via"] }>(
        "SELECT approver, vote, note, at, via FROM votes ORDER BY seq",
      )
      .toArray()
      .map((v) => ({ approver: v.approver, vote: v.vote, note: v.note, at: v.at, via: v.via }));
  }

  private viewOf(s: State): ApprovalView {
    const i = s.init;
    return {
      id: i.id,
      tenant: i.tenant,
      job_id: i.job_id,
      status: s.status,
      created_at: i.created_at,
      expires_at: i.expires_at,
      resolved_at: s.resolved_at,
      quorum: i.quorum,
      approvers: i.approvers,
      votes: this.votes(),
      rule_id: i.rule_id,
      reason: i.reason,
      snapshot_hash: i.snapshot_hash,
      request_hash: i.request_hash,
      actor: i.job.actor ?? null,
      job: redactJson(i.job) as Record<string, unknown>,
      derived: redactJson(i.derived),
      outcome: s.outcome,
    };
  }

  private ledger() {
    return this.env.LEDGER.get(this.env.LEDGER.idFromName(this.load()?.init.tenant ?? ""));
  }

  /** Create the approval (idempotent: the ledger retries until it takes). */
  async open(init: ApprovalInit): Promise<void> {
    if (this.load()) return;
    const s: State = {
      init,
      status: "pending",
      resolved_at: null,
      outcome: null,
      slack: null,
    };
    this.save(s);
    this.queueNotification({ kind: "slack.request", tenant: init.tenant, approval_id: init.id });
    await this.ctx.storage.setAlarm(Date.parse(init.expires_at));
    this.sendSoon();
  }

  /** The approval, or null when it does not exist or belongs to another tenant. */
  async view(tenant: string): Promise<ApprovalView | null> {
    const s = this.load();
    if (!s || s.init.tenant !== tenant) return null;
    if (s.status === "pending" && Date.now() >= Date.parse(s.init.expires_at)) await this.ctx.blockConcurrencyWhile(() => this.expire());
    const now = this.load();
    return now ? this.viewOf(now) : null;
  }

  /** Hold the caller until the approval resolves or `ms` pass; returns it either way. */
  async wait(tenant: string, ms: number): Promise<ApprovalView | null> {
    const first = await this.view(tenant);
    if (first?.status !== "pending") return first;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(ms, Date.parse(first.expires_at) - Date.now() + 50));
      this.waiters.add(done);
    });
    return this.view(tenant);
  }

  /** Whether a signed link's nonce has been used (its GET page says so before anyone clicks). */
  async linkUsed(nonce: string): Promise<boolean> {
    return this.sql.exec("SELECT 1 FROM used_links WHERE nonce = ?", nonce).toArray().length > 0;
  }

  /** The tenant this approval belongs to (Slack's requests name the approval, not the tenant). */
  async tenantOf(): Promise<string | null> {
    return this.load()?.init.tenant ?? null;
  }

  /** Record where the Slack message went (the queue consumer calls this after posting). */
  async postedToSlack(tenant: string, channel: string, ts: string): Promise<void> {
    const s = this.load();
    if (!s || s.init.tenant !== tenant) return;
    s.slack = { channel, ts };
    this.save(s);
  }

  async slackMessage(tenant: string): Promise<{ channel: string; ts: string } | null> {
    const s = this.load();
    return s && s.init.tenant === tenant ? s.slack : null;
  }

  /** Cast one vote. One at a time: nothing else runs in this object meanwhile. */
  async vote(input: VoteInput): Promise<VoteOutcome> {
    return this.ctx.blockConcurrencyWhile(() => this.applyVote(input));
  }

  private async applyVote(input: VoteInput): Promise<VoteOutcome> {
    let s = this.load();
    if (!s || s.init.tenant !== input.tenant) return { ok: false, code: "not_found", message: "no such approval" };
    if (s.status === "pending" && Date.now() >= Date.parse(s.init.expires_at)) {
      await this.expire();
      s = this.load() as State;
    }
    if (s.status !== "pending")
      return { ok: false, code: "conflict", message: `this approval is already ${s.status}`, approval: this.viewOf(s) };
    if (input.nonce && this.sql.exec("SELECT 1 FROM used_links WHERE nonce = ?", input.nonce).toArray().length > 0)
      return { ok: false, code: "conflict", message: "this link has already been used", approval: this.viewOf(s) };
    const init = s.init;
    if (!init.approvers.includes(input.approver))
      return {
        ok: false,
        code: "forbidden",
        message: `${input.approver} is not an approver of this job (approvers: ${init.approvers.join(", ")})`,
      };
    const who = identityOf(input.approver);
    const actor = init.job.actor;
    if (actor && [actor.id, actor.on_behalf_of].some((a) => a !== undefined && (a.trim().toLowerCase() === who || a === input.approver)))
      return { ok: false, code: "forbidden", message: "the job's own actor cannot approve it" };
    const votes = this.votes();
    if (votes.some((v) => v.approver === input.approver))
      return { ok: false, code: "conflict", message: `${input.approver} has already voted on this approval`, approval: this.viewOf(s) };

    const at = new Date().toISOString();
    const vote: ApprovalVote = { approver: input.approver, vote: input.vote, note: input.note ?? null, at, via: input.via };
    const approvals = votes.filter((v) => v.vote === "approve").length + (input.vote === "approve" ? 1 : 0);
    const base = {
      job_id: init.job_id,
      rule_id: init.rule_id,
      snapshot_hash: init.snapshot_hash,
      request_hash: init.request_hash,
      risk_tags: init.derived.risk_tags,
      capability: init.derived.capability ?? null,
    };
    const events: LedgerEvent[] = [
      {
        ...base,
        type: "approval.vote",
        actor: input.approver,
        reason: input.note ?? null,
        detail: { approval_id: init.id, vote: input.vote, via: input.via, approvals, quorum: init.quorum },
      },
    ];
    let next: Pick<State, "status" | "outcome"> | null = null;
    if (input.vote === "reject") {
      const reason = `rejected by ${input.approver}${input.note ? `: ${input.note}` : ""}`;
      next = { status: "rejected", outcome: { state: "rejected", reason } };
      events.push({
        ...base,
        type: "approval.resolved",
        actor: input.approver,
        reason,
        detail: { approval_id: init.id, status: "rejected" },
        job_update: { state: "rejected", outcome: { state: "rejected", reason, resolved_at: at } },
      });
    } else if (approvals >= init.quorum) {
      // Resume: the job is evaluated again under the policy deployed now.
      const result = this.engine.evaluate(init.job, { tenant: init.tenant });
      const denied = result.decision === "DENY";
      const reason = denied
        ? `approved, but the policy deployed now denies it: ${result.reason}`
        : `approved by ${[...votes.filter((v) => v.vote === "approve").map((v) => v.approver), input.approver].join(", ")}`;
      const outcome = {
        state: denied ? ("denied" as const) : ("approved" as const),
        reason,
        ...(denied ? {} : { constraints: result.constraints }),
      };
      next = { status: "approved", outcome };
      events.push(
        {
          ...base,
          type: "approval.resolved",
          actor: input.approver,
          reason: `quorum of ${init.quorum} reached`,
          detail: { approval_id: init.id, status: "approved" },
        },
        {
          ...base,
          type: "job.resumed",
          actor: input.approver,
          decision: result.decision,
          rule_id: result.rule_id,
          reason,
          snapshot_hash: result.snapshot_hash,
          detail: { approval_id: init.id, matched_rules: result.matched_rules, constraints: result.constraints },
          job_update: {
            state: outcome.state,
            outcome: {
              ...outcome,
              decision: result.decision,
              rule_id: result.rule_id,
              snapshot_hash: result.snapshot_hash,
              resolved_at: at,
            },
          },
        },
      );
    }

    // Sealed in the chain first: if the trail cannot take it, the vote does not count.
    let seqs: number[];
    try {
      seqs = await this.ledger().appendEvents(init.tenant, events);
    } catch (e) {
      console.error("approval: the ledger refused the vote", e);
      return { ok: false, code: "unavailable", message: "the audit ledger is unavailable; the vote was not counted" };
    }
    this.sql.exec(
      "INSERT INTO votes (approver, vote, note, at, via, seq) VALUES (?, ?, ?, ?, ?, ?)",
      vote.approver,
      vote.vote,
      vote.note,
      vote.at,
      vote.via,
      seqs[0] ?? 0,
    );
    if (input.nonce) this.sql.exec("INSERT INTO used_links (nonce, at) VALUES (?, ?)", input.nonce, at);
    if (next) {
      s.status = next.status;
      s.outcome = next.outcome;
      s.resolved_at = at;
      this.resolved(s, input.response_url);
    }
    this.save(s);
    this.sendSoon();
    return { ok: true, approval: this.viewOf(s) };
  }

  /** After resolution: queue the Slack update and the job's callback, release waiters. */
  private resolved(s: State, responseUrl?: string): void {
    this.queueNotification({
      kind: "slack.outcome",
      tenant: s.init.tenant,
      approval_id: s.init.id,
      ...(responseUrl ? { response_url: responseUrl } : {}),
    });
    const cb = (s.init.job as { callback_url?: string }).callback_url;
    if (cb) this.queueNotification({ kind: "callback", tenant: s.init.tenant, approval_id: s.init.id, url: cb });
    for (const wake of [...this.waiters]) wake();
  }

  private async expire(): Promise<void> {
    const s = this.load();
    if (s?.status !== "pending") return;
    const at = new Date().toISOString();
    const reason = `no decision before the approval expired at ${s.init.expires_at}`;
    await this.ledger().appendEvents(s.init.tenant, [
      {
        type: "approval.expired",
        job_id: s.init.job_id,
        actor: null,
        decision: "DENY",
        rule_id: s.init.rule_id,
        reason,
        snapshot_hash: s.init.snapshot_hash,
        request_hash: s.init.request_hash,
        risk_tags: s.init.derived.risk_tags,
        capability: s.init.derived.capability ?? null,
        detail: { approval_id: s.init.id, status: "expired", votes: this.votes().length },
        job_update: { state: "expired", outcome: { state: "expired", reason, resolved_at: at } },
      },
    ]);
    s.status = "expired";
    s.outcome = { state: "expired", reason };
    s.resolved_at = at;
    this.resolved(s);
    this.save(s);
    this.sendSoon();
  }

  private queueNotification(n: Notification): void {
    this.sql.exec("INSERT INTO unsent (body) VALUES (?)", JSON.stringify(n));
  }

  /** Send after answering: the caller does not wait for the queue. */
  private sendSoon(): void {
    this.sendUnsent().catch((e) => console.error("approval: sending notifications failed", e));
  }

  /** Hand queued notifications to the queue; what fails stays for the alarm. */
  private async sendUnsent(): Promise<void> {
    const rows = this.sql.exec<{ id: number; body: string }>("SELECT id, body FROM unsent ORDER BY id").toArray();
    if (rows.length === 0) return;
    try {
      await this.env.NOTIFY.sendBatch(rows.map((r) => ({ body: JSON.parse(r.body) as Notification })));
      this.sql.exec("DELETE FROM unsent WHERE id <= ?", rows[rows.length - 1]?.id ?? 0);
    } catch (e) {
      console.error("approval: queueing notifications failed; the alarm retries", e);
      await this.ctx.storage.setAlarm(Date.now() + RETRY_NOTIFY_MS);
    }
  }

  override async alarm(): Promise<void> {
    await this.ctx.blockConcurrencyWhile(async () => {
      const s = this.load();
      if (!s) return;
      // A failure throws: the runtime retries the alarm, and nothing is marked expired unrecorded.
      if (s.status === "pending" && Date.now() >= Date.parse(s.init.expires_at)) await this.expire();
      await this.sendUnsent();
      const after = this.load();
      const unsent = this.sql.exec("SELECT 1 FROM unsent LIMIT 1").toArray().length > 0;
      if (unsent) await this.ctx.storage.setAlarm(Date.now() + RETRY_NOTIFY_MS);
      else if (after?.status === "pending") await this.ctx.storage.setAlarm(Date.parse(after.init.expires_at));
    });
  }
}
