/**
 * `npm run test:restart`: kill the local service (SIGKILL, workerd included)
 * in the middle of a load, start it again on the same persisted state, and
 * check that every decision returned before the kill is in the audit trail,
 * that the hash chain verifies, and that the chain carries on correctly after
 * the restart. Loopback only; bounded in count and time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AuditRecord, ChainVerifier } from "../src/audit/chain";
import { ALLOW_JOB, buildWorker, root } from "./local-service";

const PORT = 18787 + Math.floor(Math.random() * 1000);
const BASE = `http://127.0.0.1:${PORT}`;

function serve(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/serve.ts", dir, String(PORT)], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("service did not start within 60 s")), 60_000);
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("READY")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("exit", (code) => reject(new Error(`service exited early (${code})`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", () => resolve());
    if (child.pid) process.kill(-child.pid, "SIGKILL"); // the whole group: node and workerd
  });
}

async function evaluate(agent: string, i: number): Promise<string | null> {
  try {
    const res = await fetch(`${BASE}/v1/evaluate`, {
      method: "POST",
      headers: { authorization: `Bearer ${agent}`, "content-type": "application/json" },
      body: JSON.stringify({ job: { ...ALLOW_JOB, input: { i } } }),
    });
    if (res.status !== 200) return null;
    return ((await res.json()) as { job_id: string }).job_id;
  } catch {
    return null; // the service went away mid-request: no answer was returned
  }
}

async function load(agent: string, from: number, count: number, concurrency: number, stop?: () => boolean): Promise<string[]> {
  const ids: string[] = [];
  let next = from;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < from + count && !stop?.()) {
        const id = await evaluate(agent, next++);
        if (id) ids.push(id);
      }
    }),
  );
  return ids;
}

async function auditOf(admin: string): Promise<AuditRecord[]> {
  const res = await fetch(`${BASE}/v1/audit`, { headers: { authorization: `Bearer ${admin}`, accept: "application/x-ndjson" } });
  return (await res.text())
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);
}

async function verify(admin: string, records: AuditRecord[]): Promise<{ remote: unknown; local: unknown; ok: boolean }> {
  const remote = (await (await fetch(`${BASE}/v1/audit/verify`, { headers: { authorization: `Bearer ${admin}` } })).json()) as {
    ok: boolean;
  };
  const v = new ChainVerifier(null);
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) await v.add(r);
  const local = v.finish();
  return { remote, local, ok: remote.ok && local.ok };
}

buildWorker();
const dir = mkdtempSync(join(tmpdir(), "cordon-restart-"));
let failed = true;
let child = await serve(dir);
try {
  const keys = JSON.parse(readFileSync(join(dir, "keys.json"), "utf8")) as { agent: string; admin: string };
  // Load for ~1.5 s, then kill the service while requests are in flight.
  const started = Date.now();
  let killed = false;
  const killer = (async () => {
    await new Promise((r) => setTimeout(r, 1500));
    killed = true;
    await killHard(child);
  })();
  const before = await load(keys.agent, 0, 20_000, 16, () => killed && Date.now() - started > 1600);
  await killer;
  console.log(`killed the service mid-load after ${before.length} decisions were returned`);

  child = await serve(dir);
  const afterKill = await auditOf(keys.admin);
  const inAudit = new Set(afterKill.map((r) => r.job_id));
  const lost = before.filter((id) => !inAudit.has(id));
  const v1 = await verify(keys.admin, afterKill);
  console.log(
    `after restart: ${afterKill.length} audit records; returned decisions missing from the trail: ${lost.length}; chain ${JSON.stringify(v1.remote)}`,
  );

  const after = await load(keys.agent, 100_000, 500, 16);
  const final = await auditOf(keys.admin);
  const finalIds = new Set(final.map((r) => r.job_id));
  const lostAfter = [...before, ...after].filter((id) => !finalIds.has(id));
  const v2 = await verify(keys.admin, final);
  console.log(
    `500 more after the restart: ${after.length} returned; ${final.length} records; missing: ${lostAfter.length}; chain ${JSON.stringify(v2.remote)}`,
  );
  failed = before.length === 0 || lost.length > 0 || !v1.ok || after.length !== 500 || lostAfter.length > 0 || !v2.ok;
  console.log(failed ? "RESTART TEST FAILED" : "restart test ok: nothing returned was lost, the chain verifies and continues");
} finally {
  await killHard(child).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
