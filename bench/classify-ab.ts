/**
 * Side-by-side latency of two checkouts of Cordon's packs: this one and another (a git worktree
 * of an earlier commit, say), timed in alternating child processes on the same actions, so that
 * machine drift lands on both alike.
 *
 *   git worktree add /tmp/base <commit> && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npm run bench:classify:ab -- /tmp/base [rounds]
 *
 * The actions: agentshield shell_cases and pack_rule_tests' shell lines (from CORDON_CORPORA or
 * /work/shared/corpora) and this checkout's own corpus, the same list for both sides. Each
 * process warms up with 3 untimed passes, then times every `derive` call over 7 passes; an
 * action's time is the median of its 7 calls. Printed per run: the median, p90, p99 and max of
 * those action times, the mean wall time and the mean process CPU time per action.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CORPORA = process.env.CORDON_CORPORA ?? "/work/shared/corpora";
const PACKS = ["shell", "git", "kubernetes", "sql", "http", "mcp", "secrets"];

function actions(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const lines = (p: string) =>
    readFileSync(p, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const f of ["shell_cases.jsonl", "pack_rule_tests.jsonl"])
    for (const o of lines(join(CORPORA, "agentshield-oss", f)))
      if (typeof o.command === "string") out.push({ kind: "shell", command: o.command });
  const own = join(HERE, "test/packs/corpus");
  for (const f of readdirSync(own)
    .filter((x) => x.endsWith(".jsonl"))
    .sort())
    for (const o of lines(join(own, f))) if (o.action && typeof o.action === "object") out.push(o.action as Record<string, unknown>);
  return out;
}

async function child(root: string): Promise<void> {
  const { derive } = (await import(join(root, "src/packs/index.ts"))) as {
    derive: (a: Record<string, unknown>, p: unknown[], c: unknown) => unknown;
  };
  const { CORPUS_ENVIRONMENTS } = (await import(join(HERE, "test/packs/corpus-score.ts"))) as { CORPUS_ENVIRONMENTS: unknown };
  const packs: unknown[] = [];
  for (const n of PACKS) packs.push(((await import(join(root, `src/packs/${n}/index.ts`))) as Record<string, unknown>)[`${n}Pack`]);
  const ctx = { environments: CORPUS_ENVIRONMENTS };
  const list = actions();
  for (let i = 0; i < 3; i++) for (const a of list) derive(a, packs, ctx);
  const per: number[][] = list.map(() => []);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let p = 0; p < 7; p++)
    list.forEach((a, i) => {
      const t = performance.now();
      derive(a, packs, ctx);
      per[i]?.push((performance.now() - t) * 1000);
    });
  const calls = 7 * list.length;
  const wall = ((performance.now() - w0) * 1000) / calls;
  const cu = process.cpuUsage(c0);
  const med = per.map((xs) => xs.sort((a, b) => a - b)[3] ?? 0).sort((a, b) => a - b);
  const q = (x: number) => (med[Math.min(med.length - 1, Math.ceil(x * med.length) - 1)] ?? 0).toFixed(1);
  console.log(
    `${root}  n=${list.length}  median ${q(0.5)}  p90 ${q(0.9)}  p99 ${q(0.99)}  max ${(med[med.length - 1] ?? 0).toFixed(0)}  mean wall ${wall.toFixed(1)}  cpu ${((cu.user + cu.system) / calls).toFixed(1)} µs`,
  );
}

const [other, roundsArg] = process.argv.slice(2);
if (process.env.CLASSIFY_AB_ROOT) await child(process.env.CLASSIFY_AB_ROOT);
else if (!other) {
  console.error("usage: bench/classify-ab.ts OTHER_CHECKOUT [rounds]");
  process.exitCode = 2;
} else {
  const rounds = Number(roundsArg ?? 3);
  for (let r = 0; r < rounds; r++)
    for (const root of [resolve(other), HERE])
      process.stdout.write(
        execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
          env: { ...process.env, CLASSIFY_AB_ROOT: root },
          encoding: "utf8",
        }),
      );
}
