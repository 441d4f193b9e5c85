/**
 * `npm run bench:http`: POST /v1/evaluate (an ALLOW, with its durable audit
 * record) against a bare route (GET /healthz, which only returns 200 and the
 * snapshot hash: the platform's own limit), in one run against the same local
 * workerd started through Miniflare's API. Load comes from autocannon in a
 * second process, on loopback only, bounded in time.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ALLOW_JOB, buildWorker, createKey, migrate, root, startService } from "./local-service";

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const run = promisify(execFile);

/** autocannon in its own process; async so this process keeps serving Miniflare's sockets meanwhile. */
async function autocannon(
  url: string,
  connections: number,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<Result> {
  const args = ["node_modules/autocannon/autocannon.js", "-j", "-c", String(connections), "-d", String(DURATION)];
  if (init.method) args.push("-m", init.method);
  for (const [k, v] of Object.entries(init.headers ?? {})) args.push("-H", `${k}=${v}`);
  if (init.body) args.push("-b", init.body);
  args.push(url);
  const r = await run(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const j = JSON.parse(r.stdout) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
    statusCodeStats?: Record<string, { count: number }>;
  };
  if (j.non2xx > 0 || j.errors > 0)
    console.error(`${init.method ?? "GET"} ${url} c=${connections}: ${j.errors} errors, status codes ${JSON.stringify(j.statusCodeStats)}`);
  return { rps: j.requests.average, p50: j.latency.p50, p99: j.latency.p99, errors: j.errors, non2xx: j.non2xx };
}

buildWorker();
const dir = mkdtempSync(join(tmpdir(), "cordon-bench-"));
const svc = await startService(process.env.BENCH_IN_MEMORY ? {} : { persistDir: dir });
const results: Record<string, Record<string, Result>> = {};
try {
  await migrate(svc.mf);
  const agent = await createKey(svc.mf, "bench", "agent");
  const routes = {
    bare: { url: new URL("/healthz", svc.url).toString(), init: {} },
    evaluate: {
      url: new URL("/v1/evaluate", svc.url).toString(),
      init: {
        method: "POST",
        headers: { authorization: `Bearer ${agent}`, "content-type": "application/json" },
        body: JSON.stringify({ job: ALLOW_JOB }),
      },
    },
  };
  // Warm both routes (isolates, key cache, ledger head) before measuring.
  for (const r of Object.values(routes)) await autocannon(r.url, 8, r.init);
  for (const [name, r] of Object.entries(routes)) {
    results[name] = {
      c32: await autocannon(r.url, 32, r.init),
      c1: await autocannon(r.url, 1, r.init),
      c8: await autocannon(r.url, 8, r.init),
    };
  }
  const db = await svc.mf.getD1Database("DB");
  const audit = await db.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE tenant = 'bench'").first<{ n: number }>();
  const bare = results.bare as Record<string, Result>;
  const ev = results.evaluate as Record<string, Result>;
  const row = (name: string, r: Record<string, Result>) =>
    `| ${name.padEnd(28)} | ${r.c32?.rps.toFixed(0).padStart(7)} | ${r.c1?.p50.toFixed(2).padStart(6)} | ${r.c1?.p99.toFixed(2).padStart(6)} | ${r.c8?.p50.toFixed(2).padStart(6)} | ${r.c8?.p99.toFixed(2).padStart(6)} |`;
  console.log(`\nCordon over HTTP, Miniflare (workerd) on 127.0.0.1, autocannon in a second process, ${DURATION} s per run\n`);
  console.log("| route                        | req/s c=32 | p50 ms c=1 | p99 ms c=1 | p50 ms c=8 | p99 ms c=8 |");
  console.log("|---|---|---|---|---|---|");
  console.log(row("GET /healthz (bare)", bare));
  console.log(row("POST /v1/evaluate (ALLOW)", ev));

  console.log(`\nthroughput ratio evaluate/bare at c=32: ${((ev.c32?.rps ?? 0) / (bare.c32?.rps ?? 1)).toFixed(2)}`);
  console.log(`p99 at c=1: evaluate ${ev.c1?.p99} ms (autocannon reports whole milliseconds)`);
  const errors = Object.values(results)
    .flatMap((r) => Object.values(r))
    .reduce((n, r) => n + r.errors + r.non2xx, 0);
  console.log(`errors and non-2xx: ${errors}; audit records written: ${audit?.n}`);
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, "bench/results/http.json"),
    `${JSON.stringify({ duration_s: DURATION, results, audit_records: audit?.n }, null, 2)}\n`,
  );
} finally {
  await svc.dispose();
  rmSync(dir, { recursive: true, force: true });
}
