/**
 * Cordon in the Workers runtime directly, through Miniflare's API (as the tests
 * do), without wrangler dev's development proxy: for the HTTP benchmark, the
 * load test and the restart test. The Worker is bundled by wrangler itself
 * (`wrangler deploy --dry-run`), so what runs is what would be deployed.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { generateKey } from "../src/auth/key-material";

export const root = join(import.meta.dirname, "..");
const DIST = ".wrangler/bench-dist";

/** Bundle the Worker (wrangler's [build] step compiles and tests the policies first). */
export function buildWorker(): string {
  const r = spawnSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", DIST], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  if (r.status !== 0) throw new Error(`wrangler build failed:\n${r.stdout}\n${r.stderr}`);
  return join(DIST, "index.js");
}

export interface Service {
  url: URL;
  mf: Miniflare;
  dispose(): Promise<void>;
}

/** Start the bundled Worker with its D1 and Durable Object bindings; state persists under `persistDir` when given. */
export async function startService(opts: { persistDir?: string; port?: number } = {}): Promise<Service> {
  const v4 = {
    name: "cordon",
    modules: true,
    rootPath: root,
    scriptPath: join(DIST, "index.js"),
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    bindings: {
      CORDON_ENV: "local",
      PUBLIC_URL: "http://127.0.0.1",
      SLACK_API_BASE: "https://slack.com/api",
      LINK_SIGNING_SECRET: randomBytes(32).toString("base64url"),
      CALLBACK_SIGNING_SECRET: randomBytes(32).toString("base64url"),
      SLACK_SIGNING_SECRET: randomBytes(32).toString("base64url"),
      SLACK_TARGETS: "{}",
    },
    d1Databases: { DB: "cordon" },
    durableObjects: { LEDGER: { className: "TenantLedger", useSQLite: true }, APPROVALS: { className: "Approval", useSQLite: true } },
    queueProducers: { NOTIFY: { queueName: "cordon-notify" }, NOTIFY_DLQ: { queueName: "cordon-notify-dlq" } },
    queueConsumers: {
      "cordon-notify": { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 5, deadLetterQueue: "cordon-notify-dlq" },
      "cordon-notify-dlq": { maxBatchSize: 10, maxBatchTimeout: 1 },
    },
    host: "127.0.0.1",
    port: opts.port ?? 0,
    ...(opts.persistDir ? { resourcePersistencePath: opts.persistDir } : {}),
    cf: false,
  };
  const options = convertV4MiniflareOptions(v4 as Parameters<typeof convertV4MiniflareOptions>[0]);
  // A log line per request costs more than the bare route itself.
  const mf = new Miniflare({ ...options, logRequests: false, ...(process.env.CORDON_BENCH_LOG ? { log: new Log(LogLevel.DEBUG) } : {}) });
  const url = await mf.ready;
  return { url, mf, dispose: () => mf.dispose() };
}

/** Apply the drizzle-kit migrations from migrations/ (what `wrangler d1 migrations apply` does). */
export async function migrate(mf: Miniflare): Promise<void> {
  const db = await mf.getD1Database("DB");
  await db.exec("CREATE TABLE IF NOT EXISTS cordon_bench_migrations (name TEXT PRIMARY KEY)");
  for (const file of readdirSync(join(root, "migrations"))
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const done = await db.prepare("SELECT 1 FROM cordon_bench_migrations WHERE name = ?").bind(file).first();
    if (done) continue;
    const statements = readFileSync(join(root, "migrations", file), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter(Boolean);
    await db.batch([
      ...statements.map((s) => db.prepare(s)),
      db.prepare("INSERT INTO cordon_bench_migrations (name) VALUES (?)").bind(file),
    ]);
  }
}

/** Create a real API key in the service's D1. */
export async function createKey(mf: Miniflare, tenant: string, role: "agent" | "approver" | "admin"): Promise<string> {
  const db = await mf.getD1Database("DB");
  const k = await generateKey();
  await db
    .prepare("INSERT INTO api_keys (id, tenant, role, secret_hash, name, created_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(k.id, tenant, role, k.secretHash, `bench ${role}`, new Date().toISOString())
    .run();
  return k.token;
}

/** A job the demo policy ALLOWs (reads-are-allowed). */
export const ALLOW_JOB = { capability: "k8s.pod.list", risk_tags: ["read"], actor: { id: "bench-bot" } };
