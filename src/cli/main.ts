import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Engine } from "../engine/evaluator";
import { jobSchema } from "../engine/job-schema";
import type { SnapshotBundle } from "../engine/types";
import { decisionView } from "../engine/view";
import { derive, PACKS } from "../packs/index";
import { type CompileResult, compilePolicy } from "../policy/compiler";
import { formatDiagnostic } from "../policy/diagnostics";
import { policyJsonSchemas } from "../policy/schema";
import { type PolicyTestOutcome, runPolicyTests } from "../policy/test-runner";
import { verifyExport } from "./audit";
import { createKeyCommand, KeysError, listKeysCommand, revokeKeyCommand } from "./keys";
import { loadPolicyDir } from "./load";

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  stdin: AsyncIterable<Buffer | string>;
}

/** Exit codes: 0 ok, 1 a policy test failed, 2 the policy does not compile or the command is wrong. */
const EXIT = { ok: 0, testFailed: 1, error: 2 } as const;

const USAGE = `Usage: cordon <command>

  policy check  [--policies DIR]           compile the policies; exit 2 with the errors
  policy test   [--policies DIR]           run the policy tests; exit 1 on a failure
  policy build  [--policies DIR] [--out F] compile, test, and write the snapshot the Worker bundles
  policy schema [--kind policy|tenant|tests]  print the JSON Schema of policy files
  simulate      [--policies DIR] [--tenant ID] [--explain] [--velocity RULE=N ...] JOB.json|-
                                           print the decision for a job as JSON

  keys create   --tenant ID --role agent|approver|admin [--name N] [--local|--remote]
                                           create an API key (printed once; only its hash is stored)
  keys list     [--tenant ID] [--local|--remote]
  keys revoke   KEY_ID [--local|--remote]
  audit verify  (--url URL --key KEY | --file EXPORT.ndjson)
                                           verify a tenant's audit hash chain on this machine
  classify      [--policies DIR] --kind shell|git|kubernetes|sql|http|mcp INPUT
                                           print what the packs derive from an action, as JSON
                                           (INPUT: the command or statement, - for stdin, or a JSON file for http and mcp)
  pack list     [--policies DIR]           the packs, what each derives, and which are on

--policies defaults to policies/; keys commands default to --local (the state npm start uses).`;

class UsageError extends Error {}

interface Args {
  positional: string[];
  flags: Map<string, string[]>;
}

const BOOLEAN_FLAGS = new Set(["explain", "help", "quiet", "local", "remote"]);

/** Parse options; `allowed` names the command's options so an unknown one is reported as such. */
function parseArgs(argv: string[], allowed: readonly string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "-" || !a.startsWith("-")) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.replace(/^--?/, "").slice(0, eq > 0 ? eq - (a.startsWith("--") ? 2 : 1) : undefined);
    let value: string;
    if (!allowed.includes(name)) throw new UsageError(`unknown option --${name}`);
    if (BOOLEAN_FLAGS.has(name)) value = "true";
    else if (eq > 0) value = a.slice(eq + 1);
    else {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`--${name} needs a value`);
      value = next;
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { positional, flags };
}

const flag = (args: Args, name: string) => args.flags.get(name)?.at(-1);

async function compileDir(dir: string, io: Io): Promise<CompileResult> {
  const exists = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) throw new UsageError(`policy directory '${dir}' does not exist`);
  const sources = await loadPolicyDir(dir);
  if (!sources.some((s) => s.kind === "base")) throw new UsageError(`no policy files (*.yaml) in '${dir}'`);
  const result = await compilePolicy(sources);
  for (const d of result.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
  return result;
}

function reportTests(outcomes: PolicyTestOutcome[], io: Io): boolean {
  let failed = 0;
  for (const o of outcomes) {
    if (o.pass) {
      io.stdout.write(`  ok    ${o.test.name}\n`);
      continue;
    }
    failed++;
    io.stdout.write(`  FAIL  ${o.test.name}  (${o.test.file}:${o.test.line})\n`);
    for (const f of o.failures) io.stdout.write(`        ${f}\n`);
    io.stdout.write("        explain:\n");
    for (const e of o.result.explain ?? []) {
      const mark = e.matched ? "matched" : `no: ${e.failed?.condition} — ${e.failed?.detail}`;
      io.stdout.write(`          ${e.rule_id} [${e.decision}${e.mode === "shadow" ? ", shadow" : ""}] ${mark}\n`);
    }
  }
  io.stdout.write(`${outcomes.length - failed} passed, ${failed} failed\n`);
  return failed === 0;
}

async function readJob(src: string, io: Io): Promise<unknown> {
  let text: string;
  if (src === "-") {
    const chunks: string[] = [];
    for await (const c of io.stdin) chunks.push(typeof c === "string" ? c : c.toString("utf8"));
    text = chunks.join("");
  } else {
    text = await readFile(src, "utf8").catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read job file '${src}': ${e.code === "ENOENT" ? "no such file" : e.message}`);
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`job is not valid JSON: ${(e as Error).message}`);
  }
  // Accept the API's body shape ({"job": {...}}) as well as a bare job.
  const job = typeof parsed === "object" && parsed !== null && "job" in parsed ? (parsed as { job: unknown }).job : parsed;
  const r = jobSchema.safeParse(job);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  job${i.path.length ? `.${i.path.join(".")}` : ""}: ${i.message}`);
    throw new UsageError(`the job is not valid:\n${lines.join("\n")}`);
  }
  return r.data;
}

const CLASSIFY_KINDS = ["shell", "git", "kubernetes", "sql", "http", "mcp"] as const;

/** The action `classify` runs the packs over: a command line or statement as given, or a JSON file for http and mcp. */
async function readAction(kind: string, src: string, io: Io): Promise<Record<string, unknown>> {
  let text = src;
  if (src === "-") {
    const chunks: string[] = [];
    for await (const c of io.stdin) chunks.push(typeof c === "string" ? c : c.toString("utf8"));
    text = chunks.join("").replace(/\n$/, "");
  } else if (kind === "http" || kind === "mcp") {
    text = await readFile(src, "utf8").catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read '${src}': ${e.code === "ENOENT" ? "no such file" : e.message}`);
    });
  }
  if (kind === "http" || kind === "mcp") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`a ${kind} action is JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UsageError(`a ${kind} action is a JSON object`);
    return { ...(parsed as Record<string, unknown>), kind };
  }
  return kind === "sql" ? { kind, statement: text } : { kind, command: text };
}

/** Run the CLI; resolves to the process exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const [cmd, sub] = argv;
    if (cmd === undefined || cmd === "help" || cmd === "--help" || cmd === "-h") {
      io.stdout.write(`${USAGE}\n`);
      return cmd === undefined ? EXIT.error : EXIT.ok;
    }
    if (cmd === "policy") {
      const allowed = sub === "build" ? ["policies", "out"] : sub === "schema" ? ["kind"] : ["policies"];
      const args = parseArgs(argv.slice(2), allowed);
      if (args.positional.length) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
      const dir = flag(args, "policies") ?? "policies";
      switch (sub) {
        case "check": {
          const r = await compileDir(dir, io);
          if (!r.ok) return EXIT.error;
          io.stdout.write(
            `ok: ${r.snapshot?.rules.length ?? 0} global rule(s), ${Object.keys(r.snapshot?.tenants ?? {}).length} tenant(s), ${r.tests.length} test(s)\n${r.hash}\n`,
          );
          return EXIT.ok;
        }
        case "test":
        case "build": {
          const r = await compileDir(dir, io);
          if (!r.ok || !r.snapshot || !r.hash) return EXIT.error;
          const engine = new Engine(r.snapshot, r.hash);
          if (r.tests.length === 0) io.stdout.write("no policy tests found (policies/tests/*.yaml)\n");
          const passed = reportTests(runPolicyTests(engine, r.tests), io);
          if (!passed) return EXIT.testFailed;
          if (sub === "build") {
            const out = flag(args, "out") ?? "src/generated/policy-snapshot.json";
            const bundle: SnapshotBundle = { snapshot: r.snapshot, hash: r.hash, built_at: new Date().toISOString() };
            await mkdir(dirname(out), { recursive: true });
            await writeFile(out, `${JSON.stringify(bundle)}\n`);
            io.stdout.write(`wrote ${out} (${r.hash})\n`);
          }
          return EXIT.ok;
        }
        case "schema": {
          const kind = flag(args, "kind") ?? "policy";
          const schemas = policyJsonSchemas();
          if (kind !== "policy" && kind !== "tenant" && kind !== "tests") throw new UsageError("--kind is policy, tenant or tests");
          io.stdout.write(`${JSON.stringify(schemas[kind], null, 2)}\n`);
          return EXIT.ok;
        }
        default:
          throw new UsageError(`unknown policy command '${sub ?? ""}'`);
      }
    }
    if (cmd === "simulate") {
      const args = parseArgs(argv.slice(1), ["policies", "tenant", "explain", "velocity"]);
      if (args.positional.length !== 1) throw new UsageError("simulate takes one job file (or - for stdin)");
      const counts: Record<string, number> = {};
      for (const v of args.flags.get("velocity") ?? []) {
        const m = /^([^=]+)=(\d+)$/.exec(v);
        if (!m) throw new UsageError(`--velocity takes RULE=COUNT, not '${v}'`);
        counts[m[1] as string] = Number(m[2]);
      }
      const job = await readJob(args.positional[0] as string, io);
      const r = await compileDir(flag(args, "policies") ?? "policies", io);
      if (!r.ok || !r.snapshot || !r.hash) return EXIT.error;
      const engine = new Engine(r.snapshot, r.hash);
      const tenant = flag(args, "tenant");
      if (tenant !== undefined && !Object.hasOwn(r.snapshot.tenants, tenant)) {
        io.stderr.write(`note: tenant '${tenant}' has no policy of its own; global rules and default apply\n`);
      }
      // Simulation starts from an empty velocity window unless counts are given.
      for (const rule of [...r.snapshot.rules, ...Object.values(r.snapshot.tenants).flatMap((t) => t.rules)]) {
        if (rule.velocity && counts[rule.id] === undefined) counts[rule.id] = 0;
      }
      const explain = args.flags.has("explain");
      const result = engine.evaluate(job, { explain, velocityCounts: counts, ...(tenant !== undefined ? { tenant } : {}) });
      io.stdout.write(`${JSON.stringify(decisionView(result, explain), null, 2)}\n`);
      return EXIT.ok;
    }
    if (cmd === "classify") {
      const args = parseArgs(argv.slice(1), ["policies", "kind"]);
      const kind = flag(args, "kind");
      if (!kind || !CLASSIFY_KINDS.includes(kind as (typeof CLASSIFY_KINDS)[number]))
        throw new UsageError(`classify needs --kind ${CLASSIFY_KINDS.join("|")}`);
      if (args.positional.length !== 1) throw new UsageError("classify takes one INPUT (the command, - for stdin, or a JSON file)");
      const action = await readAction(kind, args.positional[0] as string, io);
      const r = await compileDir(flag(args, "policies") ?? "policies", io);
      if (!r.ok || !r.snapshot) return EXIT.error;
      const d = derive(action, [...PACKS.values()], { environments: r.snapshot.environments });
      io.stdout.write(`${JSON.stringify({ action, derived: d }, null, 2)}\n`);
      return EXIT.ok;
    }
    if (cmd === "pack" && sub === "list") {
      const args = parseArgs(argv.slice(2), ["policies"]);
      const r = await compileDir(flag(args, "policies") ?? "policies", io);
      const on = new Set(r.snapshot?.packs ?? []);
      for (const p of PACKS.values()) io.stdout.write(`${on.has(p.name) ? "on " : "off"}  ${p.name.padEnd(11)} ${p.summary}\n`);
      if (PACKS.size === 0) io.stdout.write("no packs are built in\n");
      return r.ok ? EXIT.ok : EXIT.error;
    }
    if (cmd === "keys") {
      const args = parseArgs(argv.slice(2), ["tenant", "role", "name", "local", "remote"]);
      if (args.flags.has("local") && args.flags.has("remote")) throw new UsageError("choose one of --local and --remote");
      const where = args.flags.has("remote") ? "remote" : "local";
      try {
        if (sub === "create") {
          const tenant = flag(args, "tenant");
          const role = flag(args, "role");
          if (!tenant || !role) throw new UsageError("keys create needs --tenant and --role");
          const name = flag(args, "name");
          const k = await createKeyCommand({ tenant, role, where, ...(name !== undefined ? { name } : {}) });
          io.stdout.write(`${k.token}\n`);
          io.stderr.write(`created key ${k.id} (${role}) for tenant ${tenant}; it is shown only this once\n`);
          return EXIT.ok;
        }
        if (sub === "list") {
          const tenant = flag(args, "tenant");
          const rows = listKeysCommand({ where, ...(tenant !== undefined ? { tenant } : {}) });
          for (const r of rows)
            io.stdout.write(
              `${r.id}  ${r.tenant}  ${r.role.padEnd(8)}  ${r.created_at}  ${r.revoked_at ? `revoked ${r.revoked_at}` : "active"}  ${r.name ?? ""}\n`,
            );
          if (rows.length === 0) io.stderr.write("no keys\n");
          return EXIT.ok;
        }
        if (sub === "revoke") {
          const id = args.positional[0];
          if (!id || args.positional.length !== 1) throw new UsageError("keys revoke takes one key id");
          revokeKeyCommand({ id, where });
          io.stdout.write(`revoked ${id}\n`);
          return EXIT.ok;
        }
      } catch (e) {
        if (e instanceof KeysError) {
          io.stderr.write(`cordon: ${e.message}\n`);
          return EXIT.error;
        }
        throw e;
      }
      throw new UsageError(`unknown keys command '${sub ?? ""}'`);
    }
    if (cmd === "audit" && sub === "verify") {
      const args = parseArgs(argv.slice(2), ["url", "key", "file"]);
      const file = flag(args, "file");
      const url = flag(args, "url");
      const key = flag(args, "key") ?? process.env.CORDON_API_KEY;
      if (!file && !(url && key)) throw new UsageError("audit verify needs --file, or --url and --key (or CORDON_API_KEY)");
      const result = await verifyExport(file ? { file } : { url: url as string, key: key as string }).catch((e: Error) => {
        throw new UsageError(e.message);
      });
      io.stdout.write(`${JSON.stringify(result)}\n`);
      return result.ok ? EXIT.ok : EXIT.testFailed;
    }
    throw new UsageError(`unknown command '${cmd}'`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`cordon: ${e.message}\n\n${USAGE}\n`);
      return EXIT.error;
    }
    throw e;
  }
}
