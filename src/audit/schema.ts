import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * D1 tables. `migrations/` is generated from this file by drizzle-kit
 * (`npm run db:generate`); never edit a migration by hand.
 */

/** API keys: stored only as SHA-256 of the secret; the key id is public. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenant: text("tenant").notNull(),
    role: text("role", { enum: ["agent", "approver", "admin"] }).notNull(),
    secretHash: text("secret_hash").notNull(),
    name: text("name"),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("api_keys_tenant").on(t.tenant)],
);

/**
 * The audit trail: one record per decision and per job event, chained per
 * tenant by hash. `hash` = sha256 of the canonical JSON of every other column
 * (JSON columns parsed), so editing, deleting or reordering a row is detected.
 */
export const auditRecords = sqliteTable(
  "audit_records",
  {
    tenant: text("tenant").notNull(),
    seq: integer("seq").notNull(),
    at: text("at").notNull(),
    type: text("type").notNull(),
    jobId: text("job_id"),
    actor: text("actor"),
    decision: text("decision"),
    ruleId: text("rule_id"),
    reason: text("reason"),
    riskTags: text("risk_tags").notNull(),
    capability: text("capability"),
    snapshotHash: text("snapshot_hash"),
    requestHash: text("request_hash"),
    /** Everything else the record carries (matched rules, constraints, shadow matches), as canonical JSON. */
    detail: text("detail").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.seq] }),
    index("audit_tenant_at").on(t.tenant, t.at),
    index("audit_tenant_job").on(t.tenant, t.jobId),
  ],
);

/** Jobs: the decision and state per (tenant, job id); the idempotency record. */
export const jobs = sqliteTable(
  "jobs",
  {
    tenant: text("tenant").notNull(),
    id: text("id").notNull(),
    clientId: text("client_id"),
    createdAt: text("created_at").notNull(),
    state: text("state").notNull(),
    decision: text("decision").notNull(),
    requestHash: text("request_hash").notNull(),
    /** The evaluate response exactly as returned (replays are byte-identical). */
    response: text("response").notNull(),
    /** The job as sent, canonical JSON. */
    job: text("job").notNull(),
    /** After an approval resolves: the final state's reason and, when approved, the re-evaluation (JSON). */
    outcome: text("outcome"),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.id] }), uniqueIndex("jobs_tenant_client").on(t.tenant, t.clientId)],
);

/**
 * Notifications (Slack messages, job callbacks) that exhausted their retries or
 * were refused for good: the dead-letter queue's consumer keeps them here so
 * nothing is dropped silently.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    tenant: text("tenant"),
    at: text("at").notNull(),
    /** The queue message as it was sent, JSON. */
    message: text("message").notNull(),
    attempts: integer("attempts").notNull(),
  },
  (t) => [index("dead_letters_tenant").on(t.tenant, t.at)],
);
