/**
 * Side-by-side latency of two checkouts of Cordon's packs: this one and another (a git worktree
 * of an earlier commit, say), timed in alternating child processes on the same actions, so that
 * machine drift lands on both alike.
 *
 *   git worktree add /tmp/base <commit> && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npm run bench:classify:ab -- /tmp/base [rounds]
 *   npm run bench:classify:ab -- /tmp/base [rounds] --same-process
 *
 * The actions: agentshield shell_cases and pack_rule_tests' shell lines (from CORDON_CORPORA or
 * /work/shared/corpora) and this checkout's own corpus, the same list for both sides. Each
 * process warms up with 3 untimed passes, then times every `derive` call over 7 passes; an
 * action's time is the median of its 7 calls. Printed per run: the median, p90, p99 and max of
 * those action times, the mean wall time and the mean process CPU time per action.
 *
 * With --same-process both checkouts are loaded into one process and timed pass by pass in turn
 * (rounds × 7 passes each), and the ratios are printed: on a VM whose speed drifts by ±30% over
 * seconds, this is the comparison to trust.
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

type Derive = (a: Record<string, unknown>, p: unknown[], c: unknown) => unknown;

async function load(root: string): Promise<{ derive: Derive; packs: unknown[] }> {
  const { derive } = (await import(join(root, "src/packs/index.ts"))) as { derive: Derive };
  const packs: unknown[] = [];
  for (const n of PACKS) packs.push(((await import(join(root, `src/packs/${n}/index.ts`))) as Record<string, unknown>)[`${n}Pack`]);
  return { derive, packs };
}

/**
 * Both checkouts in one process, timed pass by pass in turn (which one goes first alternates), so a
 * slow stretch of the machine lands on both within seconds. Both sets of code share the caches, so
 * absolute times are a little higher than one checkout alone; the ratios are the point.
 */
async function sameProcess(other: string, passes: number): Promise<void> {
  const { CORPUS_ENVIRONMENTS } = (await import(join(HERE, "test/packs/corpus-score.ts"))) as { CORPUS_ENVIRONMENTS: unknown };
  const ctx = { environments: CORPUS_ENVIRONMENTS };
  const sides = [
    { root: resolve(other), ...(await load(resolve(other))) },
    { root: HERE, ...(await load(HERE)) },
  ];
  const list = actions();
  for (let i = 0; i < 3; i++) for (const s of sides) for (const a of list) s.derive(a, s.packs, ctx);
  const per = sides.map(() => list.map((): number[] => []));
  for (let p = 0; p < passes; p++)
    for (const k of p % 2 === 0 ? [0, 1] : [1, 0]) {
      const s = sides[k];
      const times = per[k];
      if (!s || !times) continue;
      list.forEach((a, i) => {
        const t = performance.now();
        s.derive(a, s.packs, ctx);
        times[i]?.push((performance.now() - t) * 1000);
      });
    }
  const stats = per.map((xs) => {
    const med = xs.map((v) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? 0).sort((a, b) => a - b);
    const q = (x: number) => med[Math.min(med.length - 1, Math.ceil(x * med.length) - 1)] ?? 0;
    return { median: q(0.5), p90: q(0.9), p99: q(0.99), mean: med.reduce((t, v) => t + v, 0) / med.length };
  });
  sides.forEach((s, k) => {
    const x = stats[k];
    if (x)
      console.log(
        `${s.root}  n=${list.length}  median ${x.median.toFixed(1)}  p90 ${x.p90.toFixed(1)}  p99 ${x.p99.toFixed(1)}  mean ${x.mean.toFixed(1)} µs`,
      );
  });
  const [a, b] = stats;
  if (a && b)
    console.log(
      `this checkout / other: median ×${(b.median / a.median).toFixed(3)}  p90 ×${(b.p90 / a.p90).toFixed(3)}  p99 ×${(b.p99 / a.p99).toFixed(3)}  mean ×${(b.mean / a.mean).toFixed(3)}  (${passes} passes each, medians per action)`,
    );
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

const args = process.argv.slice(2);
const same = args.includes("--same-process");
const [other, roundsArg] = args.filter((x) => x !== "--same-process");
if (process.env.CLASSIFY_AB_ROOT) await child(process.env.CLASSIFY_AB_ROOT);
else if (!other) {
  console.error("usage: bench/classify-ab.ts OTHER_CHECKOUT [rounds] [--same-process]");
  process.exitCode = 2;
} else if (same) {
  // rounds × 7 passes for each checkout, in one process.
  await sameProcess(other, Number(roundsArg ?? 3) * 7);
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
