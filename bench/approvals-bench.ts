/**
 * `npm run bench:approvals`: the time from the deciding vote to the waiting
 * agent's answer. For each approval: an agent evaluates a job that needs one
 * approval and waits on `GET /v1/jobs/{id}?wait=30`; once the wait is held by
 * the approval's Durable Object, an approver casts the deciding vote; we time
 * from sending the vote to the agent receiving its answer. Local workerd via
 * Miniflare (as bench:http), loopback only, bounded in count.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWorker, createKey, migrate, root, startService } from "./local-service";

const N = Number(process.env.BENCH_APPROVALS ?? 200);
/** Give the agent's wait time to reach the approval's object before voting. */
const SETTLE_MS = 15;
const JOB = {
  capability: "shell.exec",
  risk_tags: ["unclassified"],
  actor: { id: "bench-agent" },
  action: { kind: "shell", command: "./deploy.sh" },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};

buildWorker();
const dir = mkdtempSync(join(process.env.BENCH_STATE_DIR ?? tmpdir(), "cordon-approvals-"));
const svc = await startService({ persistDir: dir });
try {
  await migrate(svc.mf);
  const tenant = "bench-approvals";
  const agent = await createKey(svc.mf, tenant, "agent");
  const approver = await createKey(svc.mf, tenant, "approver");
  const url = (p: string) => new URL(p, svc.url).toString();
  const release: number[] = [];
  const voteRtt: number[] = [];
  let wrong = 0;
  for (let i = 0; i < N + 10; i++) {
    const ev = (await (
      await fetch(url("/v1/evaluate"), {
        method: "POST",
        headers: { authorization: `Bearer ${agent}`, "content-type": "application/json" },
        body: JSON.stringify({ job: JOB }),
      })
    ).json()) as { job_id: string; decision: string; approval: { id: string } };
    if (ev.decision !== "REQUIRE_APPROVAL") throw new Error(`expected REQUIRE_APPROVAL, got ${ev.decision}`);
    let answeredAt = 0;
    const waiting = fetch(url(`/v1/jobs/${ev.job_id}?wait=30`), { headers: { authorization: `Bearer ${agent}` } }).then(async (r) => {
      const body = (await r.json()) as { state: string };
      answeredAt = performance.now();
      return body;
    });
    await sleep(SETTLE_MS);
    const t0 = performance.now();
    const vote = await fetch(url(`/v1/approvals/${ev.approval.id}/votes`), {
      method: "POST",
      headers: { authorization: `Bearer ${approver}`, "content-type": "application/json" },
      body: JSON.stringify({ vote: "approve", approver: "slack:U0SEC0001" }),
    });
    const tVote = performance.now();
    await vote.arrayBuffer();
    const job = await waiting;
    if (job.state !== "approved" || vote.status !== 200) wrong += 1;
    if (i >= 10) {
      // the first 10 warm the isolates up
      release.push(answeredAt - t0);
      voteRtt.push(tVote - t0);
    }
  }
  const row = (name: string, xs: number[]) =>
    `| ${name} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 99).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`;
  console.log(`\nApprovals on the local service (Miniflare/workerd, 127.0.0.1), ${N} approvals, one deciding vote each\n`);
  console.log("| measure | median ms | p99 ms | max ms |\n|---|---:|---:|---:|");
  console.log(row("deciding vote sent → waiting agent answered", release));
  console.log(row("vote request round trip", voteRtt));
  console.log(`\ntarget p99 < 50 ms: ${pct(release, 99) < 50 ? "met" : "NOT met"}; wrong outcomes: ${wrong}`);
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, "bench/results/approvals.json"),
    `${JSON.stringify({ n: N, release_ms: release, vote_ms: voteRtt, wrong }, null, 2)}\n`,
  );
  if (wrong > 0) process.exitCode = 1;
} finally {
  await svc.dispose();
  rmSync(dir, { recursive: true, force: true });
}
