import { canonicalJson } from "../engine/canonical";
import { sha256Hex } from "../engine/sha256";

/**
 * The audit hash chain. Each record's `hash` is the SHA-256 of the canonical
 * JSON of all its other fields, `prev_hash` included, so a record cannot be
 * edited, removed or moved without breaking every hash after it. The first
 * record of a tenant links to GENESIS.
 */
export const GENESIS = `sha256:${"0".repeat(64)}`;

/** An audit record as the API returns it. */
export interface AuditRecord {
  seq: number;
  at: string;
  tenant: string;
  type: string;
  job_id: string | null;
  actor: string | null;
  decision: string | null;
  rule_id: string | null;
  reason: string | null;
  risk_tags: string[];
  capability: string | null;
  snapshot_hash: string | null;
  request_hash: string | null;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export type UnsealedRecord = Omit<AuditRecord, "hash">;

/** Synchronous, so the ledger can reserve a seq, hash and store a record without yielding. */
export function recordHash(r: UnsealedRecord): string {
  const { hash: _ignored, ...rest } = r as AuditRecord;
  return `sha256:${sha256Hex(canonicalJson(rest))}`;
}

/** The D1 row shape (JSON columns as text). */
export interface AuditRow {
  tenant: string;
  seq: number;
  at: string;
  type: string;
  jobId: string | null;
  actor: string | null;
  decision: string | null;
  ruleId: string | null;
  reason: string | null;
  riskTags: string;
  capability: string | null;
  snapshotHash: string | null;
  requestHash: string | null;
  detail: string;
  prevHash: string;
  hash: string;
}

export function toRow(r: AuditRecord): AuditRow {
  return {
    tenant: r.tenant,
    seq: r.seq,
    at: r.at,
    type: r.type,
    jobId: r.job_id,
    actor: r.actor,
    decision: r.decision,
    ruleId: r.rule_id,
    reason: r.reason,
    riskTags: canonicalJson(r.risk_tags),
    capability: r.capability,
    snapshotHash: r.snapshot_hash,
    requestHash: r.request_hash,
    detail: canonicalJson(r.detail),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function fromRow(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    at: row.at,
    tenant: row.tenant,
    type: row.type,
    job_id: row.jobId,
    actor: row.actor,
    decision: row.decision,
    rule_id: row.ruleId,
    reason: row.reason,
    risk_tags: parseJson<string[]>(row.riskTags, []),
    capability: row.capability,
    snapshot_hash: row.snapshotHash,
    request_hash: row.requestHash,
    detail: parseJson<Record<string, unknown>>(row.detail, { unparseable: row.detail }),
    prev_hash: row.prevHash,
    hash: row.hash,
  };
}

export type VerifyResult =
  | { ok: true; records: number; head: { seq: number; hash: string } | null }
  | { ok: false; records: number; broken_seq: number; reason: string };

/**
 * Incremental verifier: feed records in ascending seq, then `finish`. The
 * anchor is the last seq and hash the tenant's ledger committed, kept outside
 * D1: a deleted or rewritten tail is caught against it.
 */
export class ChainVerifier {
  private readonly anchor: { seq: number; hash: string } | null;

  constructor(anchor: { seq: number; hash: string } | null) {
    this.anchor = anchor;
  }

  private expectedSeq = 1;
  private prevHash = GENESIS;
  private count = 0;
  private failure: { broken_seq: number; reason: string } | null = null;

  get failed(): boolean {
    return this.failure !== null;
  }

  async add(r: AuditRecord): Promise<void> {
    if (this.failure) return;
    if (r.seq !== this.expectedSeq) {
      this.failure =
        r.seq > this.expectedSeq
          ? { broken_seq: this.expectedSeq, reason: `record ${this.expectedSeq} is missing (the next record is ${r.seq})` }
          : { broken_seq: r.seq, reason: `record ${r.seq} is out of order (expected ${this.expectedSeq})` };
      return;
    }
    if (r.prev_hash !== this.prevHash) {
      this.failure = { broken_seq: r.seq, reason: `record ${r.seq} does not link to record ${r.seq - 1} (prev_hash differs)` };
      return;
    }
    const computed = recordHash(r);
    if (computed !== r.hash) {
      this.failure = { broken_seq: r.seq, reason: `record ${r.seq} was altered (its content does not match its hash)` };
      return;
    }
    if (this.anchor && r.seq === this.anchor.seq && r.hash !== this.anchor.hash) {
      this.failure = { broken_seq: r.seq, reason: `record ${r.seq} differs from the one the ledger committed` };
      return;
    }
    this.prevHash = r.hash;
    this.expectedSeq++;
    this.count++;
  }

  finish(): VerifyResult {
    const anchor = this.anchor;
    if (this.failure) return { ok: false, records: this.count, ...this.failure };
    const lastSeq = this.expectedSeq - 1;
    if (anchor && anchor.seq > lastSeq) {
      return { ok: false, records: this.count, broken_seq: lastSeq + 1, reason: `records ${lastSeq + 1} to ${anchor.seq} are missing` };
    }
    return { ok: true, records: this.count, head: lastSeq > 0 ? { seq: lastSeq, hash: this.prevHash } : null };
  }
}
