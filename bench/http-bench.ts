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

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);

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

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
};

buildWorker();
// Where the service keeps its state: a durable commit's fsync is part of every
// decision, so the disk under this directory shows in the latencies.
const base = process.env.BENCH_STATE_DIR ?? tmpdir();
const dir = mkdtempSync(join(base, "cordon-bench-"));
const svc = await startService(process.env.BENCH_IN_MEMORY ? {} : { persistDir: dir });
type Conc = "c32" | "c1" | "c8";
const rounds: Record<string, Record<Conc, Result>>[] = [];
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
  // The two routes take turns, round after round, so drift in the machine
  // (other tenants of the host, the ledger's background copies to D1) falls
  // on both alike; each figure is the median over the rounds.
  for (let i = 0; i < ROUNDS; i++) {
    const round: Record<string, Record<Conc, Result>> = {};
    for (const conc of [32, 1, 8] as const) {
      for (const [name, r] of Object.entries(routes)) {
        round[name] ??= {} as Record<Conc, Result>;
        (round[name] as Record<Conc, Result>)[`c${conc}`] = await autocannon(r.url, conc, r.init);
      }
    }
    rounds.push(round);
  }
  const db = await svc.mf.getD1Database("DB");
  const audit = await db.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE tenant = 'bench'").first<{ n: number }>();
  const pick = (route: string, conc: Conc, f: keyof Result) => median(rounds.map((r) => r[route]?.[conc]?.[f] ?? Number.NaN));
  const ratios = rounds.map((r) => (r.evaluate?.c32.rps ?? 0) / (r.bare?.c32.rps ?? 1));
  const row = (label: string, route: string) =>
    `| ${label.padEnd(28)} | ${pick(route, "c32", "rps").toFixed(0).padStart(7)} | ${pick(route, "c1", "p50").toFixed(1)} / ${pick(route, "c1", "p99").toFixed(1)} | ${pick(route, "c8", "p50").toFixed(1)} / ${pick(route, "c8", "p99").toFixed(1)} |`;
  console.log(
    `\nCordon over HTTP: Miniflare (workerd) on 127.0.0.1, state under ${base}, autocannon in a second process; medians of ${ROUNDS} rounds of ${DURATION} s per route and concurrency, the routes taking turns\n`,
  );
  console.log("| route                        | req/s c=32 | p50 / p99 ms c=1 | p50 / p99 ms c=8 |");
  console.log("|---|---|---|---|");
  console.log(row("GET /healthz (bare)", "bare"));
  console.log(row("POST /v1/evaluate (ALLOW)", "evaluate"));
  console.log(
    `\nthroughput ratio evaluate/bare at c=32: median ${median(ratios).toFixed(2)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(", ")})`,
  );
  console.log(
    `p99 at c=1, evaluate: median ${pick("evaluate", "c1", "p99")} ms (rounds: ${rounds.map((r) => r.evaluate?.c1.p99).join(", ")}; autocannon reports whole milliseconds)`,
  );
  const errors = rounds.flatMap((r) => Object.values(r).flatMap((x) => Object.values(x))).reduce((n, r) => n + r.errors + r.non2xx, 0);
  console.log(`errors and non-2xx: ${errors}; audit records written: ${audit?.n}`);
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, "bench/results/http.json"),
    `${JSON.stringify({ duration_s: DURATION, state_dir: base, rounds, audit_records: audit?.n }, null, 2)}\n`,
  );
} finally {
  await svc.dispose();
  rmSync(dir, { recursive: true, force: true });
}
