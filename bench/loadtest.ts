/**
 * `npm run loadtest`: 10,000 evaluations at concurrency 64 against the local
 * service (loopback only, bounded in count and time), then checks that the
 * audit trail holds exactly one record per decision returned and that the
 * hash chain verifies, both through the API and recomputed here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AuditRecord, ChainVerifier } from "../src/audit/chain";
import { ALLOW_JOB, buildWorker, createKey, migrate, startService } from "./local-service";

const TOTAL = Number(process.env.LOADTEST_TOTAL ?? 10_000);
const CONCURRENCY = Number(process.env.LOADTEST_CONCURRENCY ?? 64);
const DEADLINE_MS = 180_000;

buildWorker();
const dir = mkdtempSync(join(tmpdir(), "cordon-load-"));
const svc = await startService({ persistDir: dir });
let failed = false;
try {
  await migrate(svc.mf);
  const agent = await createKey(svc.mf, "load", "agent");
  const admin = await createKey(svc.mf, "load", "admin");
  const evaluate = new URL("/v1/evaluate", svc.url);
  const returned = new Set<string>();
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < TOTAL && performance.now() - started < DEADLINE_MS) {
      const i = next++;
      const job =
        i % 10 === 0 ? { ...ALLOW_JOB, id: `load-${i}`, risk_tags: ["destructive", "production"] } : { ...ALLOW_JOB, input: { i } };
      const res = await fetch(evaluate, {
        method: "POST",
        headers: { authorization: `Bearer ${agent}`, "content-type": "application/json" },
        body: JSON.stringify({ job }),
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const body = (await res.json()) as { job_id?: string };
      if (res.status === 200 && body.job_id) returned.add(body.job_id);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `sent ${next} evaluations at concurrency ${CONCURRENCY} in ${seconds.toFixed(1)} s (${(next / seconds).toFixed(0)}/s); statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );

  const exp = await fetch(new URL("/v1/audit", svc.url), { headers: { authorization: `Bearer ${admin}`, accept: "application/x-ndjson" } });
  const records = (await exp.text())
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);
  const inAudit = new Set(records.map((r) => r.job_id));
  const missing = [...returned].filter((id) => !inAudit.has(id));
  const unexpected = records.filter((r) => r.job_id === null || !returned.has(r.job_id));
  const verifier = new ChainVerifier(null);
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) await verifier.add(r);
  const local = verifier.finish();
  const remote = (await (await fetch(new URL("/v1/audit/verify", svc.url), { headers: { authorization: `Bearer ${admin}` } })).json()) as {
    ok: boolean;
    records: number;
  };
  console.log(
    `decisions returned: ${returned.size}; audit records: ${records.length}; lost: ${missing.length}; unexpected: ${unexpected.length}`,
  );
  console.log(`chain: verify route ${JSON.stringify(remote)}; recomputed here ${JSON.stringify(local)}`);
  failed =
    next < TOTAL ||
    returned.size !== next ||
    missing.length > 0 ||
    unexpected.length > 0 ||
    records.length !== returned.size ||
    !remote.ok ||
    !local.ok;
  console.log(failed ? "LOADTEST FAILED" : "loadtest ok: zero lost records, chain verified");
} finally {
  await svc.dispose();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
