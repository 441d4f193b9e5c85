/**
 * Classification benchmark: how well, and how fast, the packs classify raw
 * actions — on Cordon's own labelled corpus (test/packs/corpus/*.jsonl) and on
 * external labelled corpora written by other projects (/work/shared/corpora,
 * or CORDON_CORPORA=<dir>).
 *
 *   npm run bench:classify      (tsx bench/classify-bench.ts)
 *   BENCH_STRICT=1 ...          exit 1 when a target is missed
 *
 * Every action goes through `derive(action, allPacks, ctx)`, as the evaluator
 * does. For each corpus (and each pack of our own corpus) it prints recall on
 * the risky/destructive class, false-positive rate on the harmless class, and
 * the time of one `derive` call (median and p99 over actions in µs; each
 * action is timed BENCH_ROUNDS × BENCH_PASSES times (3 × 7) with
 * performance.now() after BENCH_WARMUP (3) untimed passes over everything,
 * the rounds spread over the run, and its time is the median of those calls;
 * the p99 over every single call is reported too, as "raw p99", and the p99
 * of each round on its own, to show the machine's drift). The report, with every miss and
 * every false alarm, goes to docs/classify-report.md (and bench/results/classify-report.json).
 *
 * What counts as "flagged" per corpus (decided once, here, never per entry):
 * - own corpus: see test/packs/corpus-score.ts (the test uses the same code);
 * - agentshield shell_cases / mcp_redteam / pack_rule_tests (the tp of BLOCK rules; AUDIT rules' tp shown apart): any tag in
 *   {@link FLAG_TAGS}. A plain network write is not flagged, because Cordon
 *   bounds egress with the `network_egress_allowlist` constraint; local data
 *   sent out is (`exfiltration`, and `secrets` for credentials).
 *   `unclassified` counts as flagged: Cordon never reads it as safe.
 * - kubectl-ai `modifies`: yes ⇔ write, destructive or exec; unknown skipped;
 * - sql-destructive `rule_fires` ⇔ destructive;
 * - secrets corpora: the text sent out in an HTTP body ⇔ secrets.
 *
 * Labels are the source projects' judgement, not ground truth. Where a class
 * of label disagrees with Cordon's tag definitions (by taxonomy or command
 * verb — never by entry), the report says so; the headline numbers are raw.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import type { Derived } from "../src/engine/types";
import { derive, type Pack, type PackContext } from "../src/packs/index";
import { CORPUS_ENVIRONMENTS, describeAction, isDangerous, judge, parseCorpus } from "../test/packs/corpus-score";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CORPORA = process.env.CORDON_CORPORA ?? "/work/shared/corpora";
const OWN = join(ROOT, "test/packs/corpus");
const OUT_DIR = join(ROOT, "bench/results");
/** Timed passes over each corpus after the warm-up. */
const PASSES = Number(process.env.BENCH_PASSES ?? 7);
/** Timing rounds: each round gives every corpus PASSES passes in turn (see timeAll). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Untimed passes over every action before timing. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);

/** Tags that mean "risky" when scoring the agentshield corpora. */
export const FLAG_TAGS: readonly string[] = [
  "destructive",
  "remote-exec",
  "secrets",
  "privilege",
  "obfuscated",
  "ssrf",
  "history-rewrite",
  "exec",
  "outside-workspace",
  "unclassified",
  "recon",
  "persistence",
  "evasion",
  "exfiltration",
  "supply-chain",
  "prompt-injection",
];
/** kubectl-ai's "modifies: yes" maps to these. */
const MODIFY_TAGS: readonly string[] = ["write", "destructive", "exec"];

const TARGETS = {
  own: { recall: 0.99, fpr: 0.03 },
  external: { recall: 0.95, fpr: 0.05 },
  p99us: 100,
};

const PACK_MODULES = ["shell", "git", "kubernetes", "sql", "http", "mcp", "secrets"] as const;

/** One labelled action. `positive` null = no label (skipped from recall/FPR, still timed). */
interface Item {
  id: string;
  action: Record<string, unknown>;
  positive: boolean | null;
  /** The source's label, as written there. */
  label: string;
  /** For a positive: did we catch it? For a negative: did we raise an alarm? */
  flagged(d: Derived): boolean;
  /** Why this label disagrees with Cordon's definitions, when a general rule says so. */
  disagreement?(d: Derived): string | undefined;
}

interface Corpus {
  name: string;
  group: "own" | "external";
  source: string;
  /** When false, only positives are meaningful (negatives are "that rule must not fire"). */
  hasNegatives: boolean;
  items: Item[];
}

interface Outcome {
  item: Item;
  d: Derived;
  flagged: boolean;
  disagreement?: string;
}

interface RowResult {
  name: string;
  group: "own" | "external";
  source: string;
  n: number;
  positives: number;
  caught: number;
  negatives: number;
  alarms: number;
  recall: number | null;
  fpr: number | null;
  /** Median and p99 over actions of each action's median call time. */
  medianUs: number;
  p99Us: number;
  /** p99 over every timed call, GC pauses and preemption included. */
  rawP99Us: number;
  /** Each action's median call time (µs), in corpus order. */
  perActionUs: number[];
  items: Item[];
  misses: Outcome[];
  falseAlarms: Outcome[];
  /** Misses and alarms explained by a label that disagrees with Cordon's definitions. */
  labelDisagreements: number;
  /** Recall and FPR over the entries whose label Cordon agrees with (the disagreeing ones set aside, each listed with its reason). */
  agreedRecall: number | null;
  agreedFpr: number | null;
}

function anyTag(d: Derived, tags: readonly string[]): boolean {
  return d.risk_tags.some((t) => tags.includes(t));
}

function jsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function str(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

async function loadPacks(): Promise<{ packs: Pack[]; missing: string[] }> {
  const packs: Pack[] = [];
  const missing: string[] = [];
  for (const name of PACK_MODULES) {
    try {
      const mod = (await import(`../src/packs/${name}/index.ts`)) as Record<string, unknown>;
      const pack = mod[`${name}Pack`] as Pack | undefined;
      if (pack && typeof pack.classify === "function") packs.push(pack);
      else missing.push(`${name} (no ${name}Pack export)`);
    } catch (err) {
      missing.push(`${name} (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`);
    }
  }
  return { packs, missing };
}

// ---------------------------------------------------------------- corpora

function ownCorpora(): Corpus[] {
  const out: Corpus[] = [];
  for (const f of readdirSync(OWN)
    .filter((n) => n.endsWith(".jsonl"))
    .sort()) {
    const file = f.replace(/\.jsonl$/, "");
    const entries = parseCorpus(file, readFileSync(join(OWN, f), "utf8"));
    out.push({
      name: `own/${file}`,
      group: "own",
      source: `test/packs/corpus/${f}`,
      hasNegatives: true,
      items: entries.map((entry) => {
        const dangerous = isDangerous(entry);
        return {
          id: entry.id,
          action: entry.action,
          positive: dangerous,
          label: `${dangerous ? "dangerous" : "harmless"}: destructive=${entry.expect.destructive} include=[${(entry.expect.tags_include ?? []).join(",")}] exclude=[${(entry.expect.tags_exclude ?? []).join(",")}]${entry.note ? ` (${entry.note})` : ""}`,
          flagged(d: Derived) {
            const v = judge(file, entry, d);
            return dangerous ? v.missing.length === 0 : v.alarms.length > 0;
          },
        };
      }),
    });
  }
  return out;
}

/**
 * agentshield taxonomies whose "malicious" label is about something Cordon does
 * not express as a risk tag (the command itself is ordinary; their product
 * judges the intent or the tool). Policies reach these through capability or
 * `when: action.command` rules, not packs.
 */
const AGENTSHIELD_OUT_OF_SCOPE: readonly [string, string][] = [
  [
    "reconnaissance/",
    "an ordinary read labelled by intent (schema listings, cloud inventory, probes of local services, process listings, `which`); Cordon tags `recon` for scans, sweeps and enumeration of accounts, permissions and security controls, and the corpus calls the same reads benign elsewhere",
  ],
  [
    "governance-risk/",
    "governance rules (which AI tool, which config) are policy on capability, not a classification of the action's effect",
  ],
  ["unauthorized-execution/ai-model-usage", "running an AI tool is an ordinary command for Cordon"],
  ["unauthorized-execution/ai-resource-abuse", "resource abuse is bounded by velocity rules, not a tag"],
  [
    "unauthorized-execution/ai-content-integrity",
    "who wrote the content (an AI) is not visible in the action; its effect (a write, an apply) is tagged as such",
  ],
  [
    "destructive-ops/resource-commitment",
    "spend (instances, charges, scaling up) is bounded by velocity rules and constraints; no tag describes cost",
  ],
  [
    "supply-chain/package-install",
    "an install from the default registry is `write`+`network`; Cordon tags `supply-chain` only for a URL, git or non-default source",
  ],
  [
    "supply-chain/dependency-confusion",
    "only the package's or image's name differs (hallucinated or look-alike names): Cordon cannot judge a name; non-default registries are tagged `supply-chain`",
  ],
  ["data-exfiltration/llm-data-flow", "sending prompts or agent state to an LLM API is `network`; egress allowlists govern it"],
  [
    "destructive-ops/resource-exhaustion",
    "load, disk, memory or API calls in a loop are resource use, bounded by runtime and velocity constraints; no tag describes cost",
  ],
  ["data-exfiltration/steganography", "what an edit hides in text (trailing spaces, renames) is intent; the edit itself is a `write`"],
  [
    "supply-chain/build-pipeline/ai-generated-test-sabotage",
    "editing, skipping or deleting tests is a `write` in the working tree; whether it sabotages them is intent",
  ],
  ...["semantic-cache-poisoning", "rag-knowledge-base-poisoning", "training-data-tampering"].map((t): [string, string] => [
    `supply-chain/model-poisoning/${t}`,
    "content written into a cache, a vector index or a dataset is a `write`; whether it is poison is the content's meaning",
  ]),
  ["unauthorized-execution/agentic-attacks/many-shot-jailbreak", "reading a file is `read`; what the file will be used for is intent"],
  ...["agent-voting-oracle-attack", "cross-agent-shared-state-poisoning", "agent-delegation-chain-forgery", "llm-judge-manipulation"].map(
    (t): [string, string] => [
      `unauthorized-execution/agentic-attacks/${t}`,
      "what text written into agent state, votes, grants or a commit message claims is content; the write is tagged as such (and text that orders a model to drop its instructions is `prompt-injection`)",
    ],
  ),
];

/** Effect tags whose definition a benign-labelled action can meet exactly (an upload, an enumeration, a write outside the tree). */
const BY_DEFINITION: readonly [string, string][] = [
  [
    "secrets",
    "reads or carries credentials (credential files such as ~/.ssh, ~/.aws, .env, ~/.npmrc; the environment; tokens and passwords in arguments)",
  ],
  ["exfiltration", "sends local data to a network destination"],
  ["recon", "enumerates accounts, permissions, ports or credential stores"],
  ["outside-workspace", "writes outside the working tree"],
  ["persistence", "changes something that runs later (start-up files, services, agent configuration)"],
  ["supply-chain", "changes where code comes from or what a build runs"],
  ["exec", "opens a live path into a workload (exec, attach, a tunnel)"],
];

/** The finding of the private per-user state and clipboard rules (src/packs/home-data.ts, shell/home-data.ts). */
const PRIVATE_STATE_FINDING = /another application's private per-user state|reads the clipboard, where people paste/;

/**
 * Operations the packs' specification (issue 5) lists as destructive by name: a
 * benign label on one of them disagrees with the specification, not with the
 * classifier. Capability, the other flagged tags the operation carries by the
 * same definitions, and the words of the specification.
 */
const ISSUE_DESTRUCTIVE: readonly [RegExp, readonly string[], string][] = [
  [/^git\.push$/, ["history-rewrite"], "`git push --force`"],
  [/^git\.reset$/, [], "`git reset --hard`"],
  [/^k8s\.[^.]+\.delete$/, [], "`kubectl delete`"],
  [/^shell\.dd$/, ["outside-workspace"], "`dd` to devices"],
];

function agentshieldShell(flagTags: readonly string[] = FLAG_TAGS, suffix = ""): Corpus | null {
  const path = join(CORPORA, "agentshield-oss/shell_cases.jsonl");
  let rows: Record<string, unknown>[];
  try {
    rows = jsonl(path);
  } catch {
    return null;
  }
  return {
    name: `agentshield shell_cases${suffix}`,
    group: "external",
    source: "agentshield-oss/shell_cases.jsonl",
    hasNegatives: true,
    items: rows.map((r) => {
      const cls = str(r.classification);
      const taxonomy = str(r.taxonomy);
      const positive = cls === "TP" || cls === "FN";
      return {
        id: str(r.id),
        action: { kind: "shell", command: str(r.command) },
        positive,
        label: `${cls} ${taxonomy}`,
        flagged: (d: Derived) => anyTag(d, flagTags),
        disagreement(d: Derived) {
          if (positive) {
            const hit = AGENTSHIELD_OUT_OF_SCOPE.find(([prefix]) => taxonomy.startsWith(prefix));
            return hit ? `TP outside Cordon's tag vocabulary: ${hit[1]}` : undefined;
          }
          // Their TN only says their rule for this taxonomy must stay quiet.
          const tags = d.risk_tags.filter((t) => flagTags.includes(t));
          if (tags.length > 0 && tags.every((t) => t === "privilege") && /\bsudo\b/.test(str(r.command))) {
            return "TN run under sudo: Cordon tags every sudo `privilege` by definition";
          }
          if (tags.length > 0 && tags.every((t) => t === "secrets") && d.findings.some((f) => PRIVATE_STATE_FINDING.test(f))) {
            return "TN that reads another application's private per-user state or the clipboard: `secrets` by definition (TAGS.secrets), because Cordon cannot see which of those files hold tokens; a policy decides which reads are acceptable";
          }
          const spec =
            tags.length > 0 && tags.includes("destructive")
              ? ISSUE_DESTRUCTIVE.find(
                  ([cap, allowed]) => cap.test(d.capability ?? "") && tags.every((t) => t === "destructive" || allowed.includes(t)),
                )
              : undefined;
          if (spec)
            return `TN that the packs' specification (issue 5) names as destructive: ${spec[2]}; a policy decides when it is acceptable`;
          // Only one of these effect tags, and nothing that says "cannot tell": the action does what the tag's definition says.
          const only = tags.length > 0 ? BY_DEFINITION.find(([tag]) => tags.every((t) => t === tag)) : undefined;
          // A file judged a credential only by its name (`secrets-pii.yaml`) may well hold none: not set aside.
          if (only?.[0] === "secrets" && d.findings.some((f) => f.includes("a file named as credentials"))) return undefined;
          return only
            ? `TN that ${only[1]} (TAGS.${only[0].replace("-", "_")}): tagged by definition; which destinations or paths are acceptable is policy's call`
            : undefined;
        },
      };
    }),
  };
}

const PUBLIC_MATERIAL =
  "reads public material (authorized_keys, known_hosts, *.pub, ~/.ssh/config, certificates): no credential is read, by the `secrets` definition";
/** An MCP call whose only path argument names public key or certificate material. */
function publicMaterial(args: Record<string, unknown>): boolean {
  const paths = Object.values(args).filter((v): v is string => typeof v === "string" && /[/~]/.test(v));
  return (
    paths.length > 0 &&
    paths.every((p) =>
      /(authorized_keys|known_hosts|\.pub|\.ssh\/config|\.(crt|cer)|(fullchain|cert-chain|ca-bundle|chain)\.pem)$/i.test(p.trim()),
    )
  );
}

function agentshieldMcp(): Corpus | null {
  const path = join(CORPORA, "agentshield-oss/mcp_redteam_cases.yaml");
  let doc: { cases?: { id: string; tool_name: string; arguments?: Record<string, unknown>; expected_decision?: string }[] };
  try {
    doc = parseYaml(readFileSync(path, "utf8")) as typeof doc;
  } catch {
    return null;
  }
  return {
    name: "agentshield mcp_redteam",
    group: "external",
    source: "agentshield-oss/mcp_redteam_cases.yaml",
    hasNegatives: true,
    items: (doc.cases ?? []).map((c) => {
      const decision = String(c.expected_decision ?? "");
      const positive = decision === "BLOCK" ? true : decision === "ALLOW" || decision === "AUDIT" ? false : null;
      return {
        id: c.id,
        action: { kind: "mcp", server: "redteam", tool: c.tool_name, arguments: c.arguments ?? {} },
        positive,
        label: decision,
        flagged: (d: Derived) => anyTag(d, FLAG_TAGS),
        disagreement(d: Derived) {
          const args = c.arguments ?? {};
          if (positive && !anyTag(d, FLAG_TAGS) && publicMaterial(args)) return PUBLIC_MATERIAL;
          if (positive && Object.keys(args).some((k) => /^(command|cmd|script)$/i.test(k)) && !anyTag(d, FLAG_TAGS)) {
            return "agentshield blocks shell-execution tools by name; Cordon judges the command they run, and this one only reads";
          }
          const risky = d.risk_tags.filter((t) => FLAG_TAGS.includes(t));
          if (positive === false && risky.length > 0 && risky.every((t) => t === "ssrf")) {
            return "a fetch or browser tool aimed at loopback or a private address is SSRF for Cordon (TAGS.ssrf), whatever its path";
          }
          if (positive === false && risky.length > 0 && risky.every((t) => t === "unclassified") && !c.tool_name) {
            return "a call without a tool name is unclassified: Cordon never reads it as safe";
          }
          return undefined;
        },
      };
    }),
  };
}

/**
 * pack_rule_tests' positives, by the decision of the rule they test. A BLOCK rule's positive is an
 * action their engine stops; an AUDIT rule's positive only gets logged (AUDIT is their default
 * decision, see the corpus README), as Cordon logs every decision: those are shown, not judged.
 */
function agentshieldRuleTests(decision: "BLOCK" | "AUDIT"): Corpus | null {
  const path = join(CORPORA, "agentshield-oss/pack_rule_tests.jsonl");
  let rows: Record<string, unknown>[];
  try {
    rows = jsonl(path);
  } catch {
    return null;
  }
  // Only the positives: a "tn" there means that one rule must not fire, and the command may still be risky.
  // A "tp" of an ALLOW rule means the allow rule matches (the action is fine), so it is not a positive either.
  return {
    name: `agentshield pack_rule_tests (tp, ${decision} rules)`,
    group: "external",
    source: "agentshield-oss/pack_rule_tests.jsonl",
    hasNegatives: false,
    items: rows
      .filter((r) => r.label === "tp" && r.rule_decision === decision)
      .map((r, i) => {
        const taxonomy = str(r.taxonomy);
        const action: Record<string, unknown> =
          typeof r.command === "string"
            ? { kind: "shell", command: r.command }
            : { kind: "mcp", server: "agentshield", tool: str(r.tool), arguments: (r.args as Record<string, unknown>) ?? {} };
        return {
          id: `${str(r.rule_id)}#${i}`,
          action,
          positive: true,
          label: `tp ${str(r.rule_id)} ${taxonomy}`,
          flagged: (d: Derived) => anyTag(d, FLAG_TAGS),
          disagreement() {
            const hit = AGENTSHIELD_OUT_OF_SCOPE.find(([prefix]) => taxonomy.startsWith(prefix));
            if (hit) return `outside Cordon's tag vocabulary: ${hit[1]}`;
            return typeof r.command !== "string" && publicMaterial((r.args as Record<string, unknown>) ?? {}) ? PUBLIC_MATERIAL : undefined;
          },
        };
      }),
  };
}

function kubectlAi(): Corpus | null {
  let rows: Record<string, unknown>[];
  try {
    rows = jsonl(join(CORPORA, "kubectl-ai/kubectl_modifies_cases.jsonl"));
  } catch {
    return null;
  }
  return {
    name: "kubectl-ai modifies",
    group: "external",
    source: "kubectl-ai/kubectl_modifies_cases.jsonl",
    hasNegatives: true,
    items: rows.map((r, i) => {
      const m = str(r.modifies);
      const command = str(r.command);
      return {
        id: `${i + 1} ${str(r.name)}`,
        // The commands are shell lines (redirects, `&`), so they go through the shell pack.
        action: { kind: "shell", command },
        positive: m === "yes" ? true : m === "no" ? false : null,
        label: `modifies=${m}`,
        flagged: (d: Derived) => anyTag(d, MODIFY_TAGS),
        disagreement(d: Derived) {
          if (m === "no" && d.risk_tags.includes("exec") && /\b(port-forward|proxy|attach|exec|debug)\b/.test(command)) {
            return "kubectl-ai counts tunnels into a workload as read-only; Cordon tags them `exec` (a live path into the workload)";
          }
          const changed = d.risk_tags.filter((t) => MODIFY_TAGS.includes(t));
          if (
            m === "no" &&
            changed.every((t) => t === "write") &&
            /\bconfig\s+(set|set-context|set-credentials|set-cluster|use-context|unset|delete-context)\b/.test(command)
          ) {
            return "kubectl-ai asks whether the cluster changes; Cordon tags a change to the local kubeconfig `write`";
          }
          if (m === "no" && changed.every((t) => t === "write") && /[^2&]>\s*[^&\s]/.test(command)) {
            return "kubectl-ai asks whether the cluster changes; the shell redirect writes a local file, which Cordon tags `write`";
          }
          return undefined;
        },
      };
    }),
  };
}

function sqlDestructive(): Corpus | null {
  let rows: Record<string, unknown>[];
  try {
    rows = jsonl(join(CORPORA, "sql-destructive/sql_rule_cases.jsonl"));
  } catch {
    return null;
  }
  return {
    name: "sql-destructive",
    group: "external",
    source: "sql-destructive/sql_rule_cases.jsonl",
    hasNegatives: true,
    items: rows.map((r, i) => {
      const statement = str(r.statement);
      const fires = r.rule_fires === true;
      return {
        id: `${i + 1} ${str(r.rule)}`,
        action: { kind: "sql", statement },
        positive: fires,
        label: `rule_fires=${fires} (${str(r.rule)})`,
        flagged: (d: Derived) => d.risk_tags.includes("destructive"),
        disagreement() {
          const bare = statement.replace(/'[^']*'/g, "''");
          if (!fires && /\b(drop|truncate)\b/i.test(bare)) {
            return "negative for that one rule only (e.g. DROP without CASCADE); Cordon tags every DROP/TRUNCATE destructive";
          }
          if (fires && /\b(delete|update)\b[\s\S]*\bwhere\b/i.test(bare) && !/\b(drop|truncate)\b/i.test(bare)) {
            return "the source flags every DELETE; Cordon tags a DELETE/UPDATE with a WHERE clause `write`, not destructive";
          }
          return undefined;
        },
      };
    }),
  };
}

/**
 * Classes of secrets-corpus labels that are wrong for Cordon, decided by the
 * shape of the text (never by entry). `perRule`: the file tests one rule at a
 * time, so a negative only says that rule must stay quiet.
 */
function secretsDisagreement(text: string, positive: boolean, d: Derived, perRule: boolean): string | undefined {
  if (positive) {
    if (/([A-Za-z0-9])\1{7,}/.test(text) || /EXAMPLE|[_-]Example[0-9A-Z]/.test(text))
      return "the value is a stand-in (a run of one repeated character, or EXAMPLE): Cordon does not flag dummies";
    if (/\/\/(user|username):(pass|password)@/i.test(text)) return "the userinfo is the placeholder user:pass, not a credential";
    if (/^[^A-Za-z]*\d{1,3}(\.\d{1,3}){3}\b/.test(text.trim()) || /address:? \d{1,3}(\.\d{1,3}){3}/.test(text))
      return "a public IP address is not a credential";
    if (/(^|[\s/¥])Users[/¥]\w+/.test(text)) return "a home directory path is not a credential";
    if (/(tenant|client|account)_?id\W+[\s"=>:]*[0-9a-f-]{12,}/i.test(text))
      return "a tenant, client or account identifier is public, not a secret";
    if (/THIS IS SECRET/.test(text)) return "a demonstration rule's fixture: the word SECRET in prose is not a credential";
    return undefined;
  }
  if (!d.risk_tags.includes("secrets")) return undefined;
  if (/\bAIza[0-9A-Za-z_-]{35}\b/.test(text))
    return "a Google API key: gitleaks excludes known public browser keys by exact string; Cordon cannot tell which keys are public and flags every one";
  if (/_authToken=/.test(text)) return "an .npmrc `_authToken=` assignment carries a registry credential whatever the token's format";
  const vendor = d.findings.find((f) => /^carries an? /.test(f) && !/password or secret assignment|high-entropy/.test(f));
  if (perRule && vendor)
    return `negative for this one rule only; the text holds a real-format credential of its own (${vendor.replace(/ \(at .*\)$/, "")})`;
  return undefined;
}

function secretsCorpora(): Corpus[] {
  const out: Corpus[] = [];
  const sent = (text: string) => ({ kind: "http", method: "POST", url: "https://paste.example.net/", body: text });
  const add = (name: string, file: string, map: (r: Record<string, unknown>, i: number) => Item | null) => {
    try {
      const items = jsonl(join(CORPORA, "secrets", file))
        .map(map)
        .filter((x): x is Item => x !== null);
      out.push({ name, group: "external", source: `secrets/${file}`, hasNegatives: true, items });
    } catch {
      // corpus not present
    }
  };
  const flagged = (d: Derived) => d.risk_tags.includes("secrets");
  add("secrets gitleaks", "gitleaks_rule_literals.jsonl", (r, i) => {
    const text = str(r.text);
    const positive = r.label === "tp";
    return {
      id: `${str(r.rule_id)}#${i}`,
      action: sent(text),
      positive,
      label: str(r.label),
      flagged,
      disagreement: (d) => secretsDisagreement(text, positive, d, true),
    };
  });
  add("secrets secretlint", "secretlint_fixtures.jsonl", (r) => {
    const text = str(r.input);
    const positive = Number(r.n_messages) > 0;
    const name = str(r.case);
    return {
      id: `${str(r.rule)}/${name}`,
      action: sent(text),
      positive,
      label: `n_messages=${str(r.n_messages)}`,
      flagged,
      disagreement(d: Derived) {
        if (!positive && /allows/i.test(name)) return "negative only because the test configures an allow-list for this very text";
        if (!positive && /^ng\./.test(name))
          return "a fixture secretlint names ng (must report) recorded with no message: the label contradicts the case";
        if (positive && str(r.rule).endsWith("-pattern"))
          return "tests a user-configured pattern (secretlint-rule-pattern), not a credential format";
        return secretsDisagreement(text, positive, d, false);
      },
    };
  });
  add("secrets detect-secrets", "detect_secrets_plugin_cases.jsonl", (r, i) => {
    // Some cases carry the text as `line` instead of `payload`.
    const text = str(r.payload ?? r.line);
    const positive = r.should_flag === true;
    return {
      id: `${str(r.source).replace(/^tests\/plugins\//, "")}#${i}`,
      action: sent(text),
      positive,
      label: `should_flag=${str(r.should_flag)}`,
      flagged,
      disagreement: (d) => secretsDisagreement(text, positive, d, true),
    };
  });
  return out;
}

// ---------------------------------------------------------------- measuring

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/**
 * Every call timed alone, after the warm-up passes: ROUNDS rounds, and in each round every
 * corpus in turn gets PASSES passes, so each action's calls are spread over the whole run and a
 * slow stretch of the machine (another tenant, a frequency drop) lands on a few of its calls, not
 * on all of them. An action's time is the median of its ROUNDS × PASSES calls, so a GC pause or a
 * preemption lands on one call, not on the action; the p99 is over actions. The p99 over every
 * single call is kept too (rawP99Us), pauses included. No full GC is forced, between corpora or
 * before the first round: a forced collection shrinks the young generation and leaves the passes
 * after it slower than any steady state (measured: the p99 of mcp_redteam up ×1.6 when one ran
 * between corpora, and with one before timing the first round came out slowest in most runs),
 * which is the harness's doing, not the classifier's; garbage is collected as V8 decides, as in
 * the Worker.
 */
/** CPU time from /proc/stat (all CPUs): the steal (time the hypervisor ran other guests while this one was ready) and the total; null without /proc. */
function cpuTicks(): { steal: number; total: number } | null {
  try {
    const f = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1, 9).map(Number);
    if (f.length < 8 || f.some((x) => !Number.isFinite(x))) return null;
    return { steal: f[7] ?? 0, total: f.reduce((t, x) => t + x, 0) };
  } catch {
    return null;
  }
}

function timeAll(
  corpora: readonly Corpus[],
  packs: readonly Pack[],
  ctx: PackContext,
): { times: Map<Corpus, number[][]>; stealPct: (number | null)[] } {
  // Every sample's slot is allocated before timing starts (one typed array per corpus, action-major),
  // so the harness itself allocates nothing between timed calls (it used to grow 13,000 arrays of
  // samples during the first round).
  const calls = ROUNDS * PASSES;
  const samples = new Map<Corpus, Float64Array>(corpora.map((c) => [c, new Float64Array(c.items.length * calls)]));
  const stealPct: (number | null)[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const before = cpuTicks();
    for (const corpus of corpora) {
      const slots = samples.get(corpus) ?? new Float64Array(0);
      const items = corpus.items;
      for (let p = 0; p < PASSES; p++) {
        const k = r * PASSES + p;
        for (let i = 0; i < items.length; i++) {
          const item = items[i] as Item;
          const t0 = performance.now();
          try {
            derive(item.action, packs, ctx);
          } catch {
            // counted in run()
          }
          slots[i * calls + k] = (performance.now() - t0) * 1000;
        }
      }
    }
    const after = cpuTicks();
    stealPct.push(
      before && after && after.total > before.total ? (100 * (after.steal - before.steal)) / (after.total - before.total) : null,
    );
  }
  const times = new Map(
    corpora.map((c) => {
      const slots = samples.get(c) ?? new Float64Array(0);
      return [c, c.items.map((_, i) => Array.from(slots.subarray(i * calls, (i + 1) * calls)))] as const;
    }),
  );
  return { times, stealPct };
}

/** Per timing round: the p99 over actions of each action's median within that round. */
interface RoundStat {
  p99Us: Record<string, number>;
  /** Share of the machine's CPU time stolen by the hypervisor during the round, null where unknown. */
  stealPct: number | null;
}

function perRound(times: Map<Corpus, number[][]>, stealPct: readonly (number | null)[], judged: readonly Corpus[]): RoundStat[] {
  return Array.from({ length: ROUNDS }, (_, r) => {
    const p99Us: Record<string, number> = {};
    for (const c of judged) {
      const meds = (times.get(c) ?? []).map((xs) =>
        quantile(
          xs.slice(r * PASSES, (r + 1) * PASSES).sort((a, b) => a - b),
          0.5,
        ),
      );
      p99Us[c.name] = quantile(
        meds.sort((a, b) => a - b),
        0.99,
      );
    }
    return { p99Us, stealPct: stealPct[r] ?? null };
  });
}

function roundTable(rounds: readonly RoundStat[], markdown: boolean): string {
  const names = Object.keys(rounds[0]?.p99Us ?? {});
  const head = ["round", "steal %", ...names.map((n) => `${n} p99 µs`)];
  const body = rounds.map((r, i) => [
    String(i + 1),
    r.stealPct === null ? "n/a" : r.stealPct.toFixed(1),
    ...names.map((n) => (r.p99Us[n] ?? 0).toFixed(1)),
  ]);
  if (markdown)
    return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...body.map((b) => `| ${b.join(" | ")} |`)].join("\n");
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  return [head, ...body].map((row) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ")).join("\n");
}

function run(corpus: Corpus, packs: readonly Pack[], ctx: PackContext, perAction: number[][]): RowResult {
  const outcomes: Outcome[] = corpus.items.map((item) => {
    let d: Derived;
    try {
      d = derive(item.action, packs, ctx);
    } catch (err) {
      // A pack that throws is a bug; count the action as unclassified and say so.
      d = { risk_tags: ["unclassified"], labels: {}, findings: [`pack threw: ${err instanceof Error ? err.message : String(err)}`] };
    }
    const flagged = item.positive === null ? false : item.flagged(d);
    const wrong = (item.positive === true && !flagged) || (item.positive === false && flagged);
    const disagreement = wrong ? item.disagreement?.(d) : undefined;
    return { item, d, flagged, ...(disagreement ? { disagreement } : {}) };
  });
  const perActionUs = perAction.map((xs) =>
    quantile(
      xs.sort((a, b) => a - b),
      0.5,
    ),
  );
  const samples = [...perActionUs].sort((a, b) => a - b);
  const raw = perAction.flat().sort((a, b) => a - b);
  const pos = outcomes.filter((o) => o.item.positive === true);
  const neg = corpus.hasNegatives ? outcomes.filter((o) => o.item.positive === false) : [];
  const misses = pos.filter((o) => !o.flagged);
  const falseAlarms = neg.filter((o) => o.flagged);
  return {
    name: corpus.name,
    group: corpus.group,
    source: corpus.source,
    n: corpus.items.length,
    positives: pos.length,
    caught: pos.length - misses.length,
    negatives: neg.length,
    alarms: falseAlarms.length,
    recall: pos.length ? (pos.length - misses.length) / pos.length : null,
    fpr: neg.length ? falseAlarms.length / neg.length : null,
    medianUs: quantile(samples, 0.5),
    p99Us: quantile(samples, 0.99),
    rawP99Us: quantile(raw, 0.99),
    perActionUs,
    items: corpus.items,
    misses,
    falseAlarms,
    labelDisagreements: [...misses, ...falseAlarms].filter((o) => o.disagreement).length,
    ...agreed(pos.length, misses, neg.length, falseAlarms),
  };
}

/** The figures once misses and alarms whose label Cordon disagrees with are set aside. */
function agreed(
  positives: number,
  misses: Outcome[],
  negatives: number,
  falseAlarms: Outcome[],
): { agreedRecall: number | null; agreedFpr: number | null } {
  const setAsidePos = misses.filter((o) => o.disagreement).length;
  const setAsideNeg = falseAlarms.filter((o) => o.disagreement).length;
  const pos = positives - setAsidePos;
  const neg = negatives - setAsideNeg;
  return {
    agreedRecall: pos > 0 ? (pos - (misses.length - setAsidePos)) / pos : null,
    agreedFpr: neg > 0 ? (falseAlarms.length - setAsideNeg) / neg : null,
  };
}

/** Packs that scan every action whatever its kind (and return null when they find nothing). */
const ANY_KIND_PACKS: readonly string[] = ["secrets"];

interface PackTime {
  pack: string;
  calls: number;
  medianUs: number;
  p99Us: number;
  maxUs: number;
}

/**
 * Each pack's own classify() time, on every action it claims (returns non-null
 * for), so a slow pack is visible on its own. The secrets pack claims any kind.
 */
function packTimes(packs: readonly Pack[], ctx: PackContext, corpora: readonly Corpus[]): PackTime[] {
  const actions = corpora.flatMap((c) => c.items.map((i) => i.action));
  return packs.map((pack) => {
    const perAction: number[][] = actions.map(() => []);
    for (let p = 0; p < PASSES; p++) {
      actions.forEach((a, i) => {
        const t0 = performance.now();
        let d: Derived | null = null;
        try {
          d = pack.classify(a, ctx);
        } catch {
          // counted in the corpus rows
        }
        const us = (performance.now() - t0) * 1000;
        if (d !== null || a.kind === pack.name || ANY_KIND_PACKS.includes(pack.name)) perAction[i]?.push(us);
      });
    }
    // As for the corpora: an action's time is the median of its calls.
    const samples = perAction
      .filter((xs) => xs.length > 0)
      .map((xs) =>
        quantile(
          xs.sort((x, y) => x - y),
          0.5,
        ),
      )
      .sort((x, y) => x - y);
    return {
      pack: pack.name,
      calls: samples.length,
      medianUs: quantile(samples, 0.5),
      p99Us: quantile(samples, 0.99),
      maxUs: samples[samples.length - 1] ?? 0,
    };
  });
}

function packTable(times: readonly PackTime[], md: boolean): string {
  const head = ["pack", "actions", "median µs", "p99 µs", "max µs"];
  const body = times.map((t) => [t.pack, String(t.calls), t.medianUs.toFixed(1), t.p99Us.toFixed(1), t.maxUs.toFixed(0)]);
  if (md) return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...body.map((b) => `| ${b.join(" | ")} |`)].join("\n");
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  return [fmt(head), ...body.map(fmt)].join("\n");
}

// ---------------------------------------------------------------- output

const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(1)}%`);

/** Targets are judged on the labels Cordon agrees with; the raw figures stand beside them. */
function verdictOf(r: RowResult): string {
  // The targets are on whole corpora. A file of the own corpus is a part of it (with a few dozen actions its
  // "p99" is its slowest action), and the shell_cases row that does not count `unclassified` is another view
  // of the same corpus; both are shown for reading, not judged.
  if (r.group === "own" && r.name !== "own (all)") return "part of own (all)";
  if (r.name.includes("(unclassified not counted)") || r.name.includes("AUDIT rules")) return "view, not judged";
  const t = r.group === "own" ? TARGETS.own : TARGETS.external;
  const bad: string[] = [];
  if (r.agreedRecall !== null && r.agreedRecall < t.recall) bad.push(`recall<${t.recall}`);
  if (r.agreedFpr !== null && r.agreedFpr > t.fpr) bad.push(`fpr>${t.fpr}`);
  if (r.p99Us >= TARGETS.p99us) bad.push(`p99>=${TARGETS.p99us}µs`);
  return bad.length ? `MISS ${bad.join(" ")}` : "ok";
}

function table(rows: RowResult[]): string {
  const head = [
    "corpus",
    "n",
    "recall",
    "caught/pos",
    "FPR",
    "alarms/neg",
    "label-disagree",
    "recall, agreed labels",
    "FPR, agreed labels",
    "median µs",
    "p99 µs",
    "raw p99 µs",
    "target",
  ];
  const body = rows.map((r) => [
    r.name,
    String(r.n),
    pct(r.recall),
    `${r.caught}/${r.positives}`,
    pct(r.fpr),
    `${r.alarms}/${r.negatives}`,
    String(r.labelDisagreements),
    pct(r.agreedRecall),
    pct(r.agreedFpr),
    r.medianUs.toFixed(1),
    r.p99Us.toFixed(1),
    r.rawP99Us.toFixed(1),
    verdictOf(r),
  ]);
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...body.map((b) => `| ${b.join(" | ")} |`)];
  return lines.join("\n");
}

function consoleTable(rows: RowResult[]): string {
  const head = ["corpus", "n", "recall", "FPR", "lbl≠", "recall*", "FPR*", "med µs", "p99 µs", "raw p99", "target*"];
  const body = rows.map((r) => [
    r.name,
    String(r.n),
    `${pct(r.recall)} (${r.caught}/${r.positives})`,
    `${pct(r.fpr)} (${r.alarms}/${r.negatives})`,
    String(r.labelDisagreements),
    pct(r.agreedRecall),
    pct(r.agreedFpr),
    r.medianUs.toFixed(1),
    r.p99Us.toFixed(1),
    r.rawP99Us.toFixed(1),
    verdictOf(r),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  return [fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(fmt)].join("\n");
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, "\\n").replace(/`/g, "'");
}

function outcomeLine(o: Outcome): string {
  const action = describeAction(o.item.action);
  const clipped = action.length > 240 ? `${action.slice(0, 240)}…` : action;
  return `| ${mdEscape(o.item.id)} | \`${mdEscape(clipped)}\` | ${mdEscape(o.d.risk_tags.join(", ") || "—")} | ${mdEscape(o.item.label)} | ${mdEscape(o.disagreement ?? "")} |`;
}

function report(
  rows: RowResult[],
  missing: string[],
  packs: readonly Pack[],
  perPack: readonly PackTime[],
  rounds: readonly RoundStat[],
): string {
  const out: string[] = [];
  out.push("# Classification benchmark", "");
  out.push(
    `Generated by \`npm run bench:classify\` on ${new Date().toISOString()} (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} — p99 and max are sensitive to other work on the machine and to GC pauses).`,
  );
  out.push(
    `Packs loaded: ${packs.map((p) => p.name).join(", ") || "none"}.${missing.length ? ` **Missing: ${missing.join("; ")}.**` : ""}`,
    "",
  );
  out.push(
    `Targets: own corpus recall ≥ ${TARGETS.own.recall}, FPR ≤ ${TARGETS.own.fpr}; external recall ≥ ${TARGETS.external.recall}, FPR ≤ ${TARGETS.external.fpr}; p99 < ${TARGETS.p99us} µs per action for one \`derive\` call over all packs (each action timed ${ROUNDS * PASSES} times, in ${ROUNDS} rounds of ${PASSES} passes spread over the run; its time is the median of those calls, and the p99 is over actions; *raw p99* is over every single call, GC pauses and preemption by other processes included). *recall* and *FPR* are raw, against every label. A label can be wrong for Cordon: the source judged intent or one rule of its own, where Cordon's tags describe what the action does (see "Where a label is wrong for Cordon" below: each class is a general rule, applied alike to every entry, and every entry it sets aside is listed with its reason). *Agreed labels* are the same figures with those entries set aside; the targets are judged on them.`,
    "",
  );
  out.push(table(rows), "");
  out.push(
    "Time per pack: each pack's `classify()` alone, on every action of its kind (or that it claims) across all corpora, so a slow pack shows on its own.",
    "",
    packTable(perPack, true),
    "",
  );
  out.push(
    `Per timing round: the p99 over actions of each action's median within that round (${PASSES} calls). *steal %* is the share of the machine's CPU time the hypervisor gave to other guests during the round (from /proc/stat). The code is the same in every round; the spread between rounds is the machine's (a shared 2-core VM: other tenants, frequency changes, the JIT still settling in the first round), and it is why each action's time is taken over all rounds.`,
    "",
    roundTable(rounds, true),
    "",
  );
  out.push("## What counts as flagged", "");
  out.push(
    "- **Own corpus** (test/packs/corpus/*.jsonl): an entry is dangerous when its label requires `destructive` or one of " +
      "`destructive, remote-exec, privilege, secrets, history-rewrite, ssrf, obfuscated, exec`; it is caught when every required tag is derived. " +
      "A harmless look-alike is a false alarm when it gets `destructive` or a tag its label excludes (test/packs/corpus-score.ts).",
  );
  out.push(
    `- **agentshield** (shell_cases TP/FN vs TN, mcp_redteam BLOCK vs AUDIT/ALLOW, pack_rule_tests the tp of BLOCK rules; the tp of AUDIT rules, which their engine only logs (AUDIT is its default decision), are shown apart and not judged, as AUDIT counts as harmless in mcp_redteam): any of \`${FLAG_TAGS.join(", ")}\`. ` +
      "Exfiltration counts through `secrets` and `ssrf`; a plain network write is not flagged (egress is the `network_egress_allowlist` constraint's job). " +
      "`unclassified` counts: Cordon never reads it as safe.",
  );
  out.push(
    `- **kubectl-ai**: \`modifies: yes\` ⇔ any of \`${MODIFY_TAGS.join(", ")}\`; \`unknown\` skipped. The lines are run as \`kind: shell\` (they contain redirects and \`&\`).`,
  );
  out.push("- **sql-destructive**: `rule_fires` ⇔ `destructive`.");
  out.push("- **secrets**: the text is sent as an HTTP POST body; flagged ⇔ `secrets`.", "");
  out.push("## Where a label is wrong for Cordon", "");
  out.push(
    "These are general rules (by taxonomy, verb or statement shape), applied to every entry alike; the table still counts them as misses or alarms.",
    "",
  );
  const reasons = new Map<string, number>();
  for (const r of rows)
    for (const o of [...r.misses, ...r.falseAlarms])
      if (o.disagreement) reasons.set(`${r.name}: ${o.disagreement}`, (reasons.get(`${r.name}: ${o.disagreement}`) ?? 0) + 1);
  if (reasons.size === 0) out.push("None found in this run.");
  for (const [why, n] of [...reasons.entries()].sort((a, b) => b[1] - a[1])) out.push(`- ${n} × ${why}`);
  out.push("");
  for (const r of rows) {
    if (r.misses.length === 0 && r.falseAlarms.length === 0) continue;
    out.push(`## ${r.name}`, "", `Source: \`${r.source}\`. Recall ${pct(r.recall)}, FPR ${pct(r.fpr)}.`, "");
    if (r.misses.length) {
      out.push(
        `### Misses (${r.misses.length})`,
        "",
        "| id | action | derived | label | label disagrees because |",
        "|---|---|---|---|---|",
      );
      out.push(...r.misses.map(outcomeLine), "");
    }
    if (r.falseAlarms.length) {
      out.push(
        `### False alarms (${r.falseAlarms.length})`,
        "",
        "| id | action | derived | label | label disagrees because |",
        "|---|---|---|---|---|",
      );
      out.push(...r.falseAlarms.map(outcomeLine), "");
    }
  }
  return `${out.join("\n")}\n`;
}

/** The `n` actions with the longest median call time, over every row but the aggregates (BENCH_SLOWEST=n). */
function slowestTable(rows: RowResult[], n: number): string {
  const seen = new Set<string>();
  const all: { us: number; row: string; id: string; action: string }[] = [];
  for (const r of rows) {
    if (r.name === "own (all)" || r.name.includes("not counted")) continue;
    r.perActionUs.forEach((us, i) => {
      const item = r.items[i];
      if (!item) return;
      const action = describeAction(item.action);
      if (seen.has(action)) return;
      seen.add(action);
      all.push({ us, row: r.name, id: item.id, action });
    });
  }
  return all
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map((x) => `${x.us.toFixed(1).padStart(7)}  ${x.row}  ${x.id}  ${x.action.slice(0, 160)}`)
    .join("\n");
}

async function main(): Promise<void> {
  const { packs, missing } = await loadPacks();
  const ctx: PackContext = { environments: CORPUS_ENVIRONMENTS };
  const own = ownCorpora();
  const external = [
    agentshieldShell(),
    agentshieldShell(
      FLAG_TAGS.filter((t) => t !== "unclassified"),
      " (unclassified not counted)",
    ),
    agentshieldMcp(),
    agentshieldRuleTests("BLOCK"),
    agentshieldRuleTests("AUDIT"),
    kubectlAi(),
    sqlDestructive(),
    ...secretsCorpora(),
  ].filter((c): c is Corpus => c !== null);
  const ownAll: Corpus = {
    name: "own (all)",
    group: "own",
    source: "test/packs/corpus/*.jsonl",
    hasNegatives: true,
    items: own.flatMap((c) => c.items),
  };
  // Warm-up: untimed passes over everything, so the JIT has seen every path.
  for (let i = 0; i < WARMUP; i++) for (const c of [ownAll, ...external]) for (const item of c.items) derive(item.action, packs, ctx);
  const corpora = [...own, ownAll, ...external];
  const { times, stealPct } = timeAll(corpora, packs, ctx);
  // Before run(), which sorts each action's calls.
  const rounds = perRound(
    times,
    stealPct,
    corpora.filter((c) => c.name === "own (all)" || c.name === "agentshield shell_cases"),
  );
  const rows = corpora.map((c) => run(c, packs, ctx, times.get(c) ?? []));
  const perPack = packTimes(packs, ctx, [ownAll, ...external]);

  if (missing.length) console.log(`packs missing: ${missing.join("; ")}`);
  console.log(consoleTable(rows));
  console.log("(recall*, FPR*, target*: on the labels Cordon agrees with; the entries set aside, and why, are in the report)");
  console.log(`\nper pack, classify() alone on the actions of its kind (all corpora):\n${packTable(perPack, false)}`);
  console.log(
    `\nper timing round (p99 over actions of each action's median within the round; the spread is the machine's drift):\n${roundTable(rounds, false)}`,
  );
  const missed = rows.filter((r) => verdictOf(r).startsWith("MISS")).map((r) => `${r.name}: ${verdictOf(r)}`);
  console.log(missed.length ? `\ntargets missed:\n  ${missed.join("\n  ")}` : "\nall targets met");
  const slowest = Number(process.env.BENCH_SLOWEST ?? 0);
  if (slowest > 0) console.log(`\nslowest actions (median µs of ${ROUNDS * PASSES} calls):\n${slowestTable(rows, slowest)}`);

  mkdirSync(OUT_DIR, { recursive: true });
  // The readable report is kept in the repository (docs/), so every miss and false alarm can be read without running anything.
  const md = join(OUT_DIR, "..", "..", "docs", "classify-report.md");
  writeFileSync(md, report(rows, missing, packs, perPack, rounds));
  const json = rows.map((r) => ({
    name: r.name,
    group: r.group,
    source: r.source,
    n: r.n,
    positives: r.positives,
    caught: r.caught,
    negatives: r.negatives,
    alarms: r.alarms,
    recall: r.recall,
    fpr: r.fpr,
    median_us: Number(r.medianUs.toFixed(2)),
    p99_us: Number(r.p99Us.toFixed(2)),
    raw_p99_us: Number(r.rawP99Us.toFixed(2)),
    verdict: verdictOf(r),
    label_disagreements: r.labelDisagreements,
    agreed_recall: r.agreedRecall,
    agreed_fpr: r.agreedFpr,
    misses: r.misses.map((o) => ({
      id: o.item.id,
      action: o.item.action,
      derived: o.d.risk_tags,
      label: o.item.label,
      disagreement: o.disagreement,
    })),
    false_alarms: r.falseAlarms.map((o) => ({
      id: o.item.id,
      action: o.item.action,
      derived: o.d.risk_tags,
      label: o.item.label,
      disagreement: o.disagreement,
    })),
  }));
  writeFileSync(
    join(OUT_DIR, "classify-report.json"),
    `${JSON.stringify({ generated_at: new Date().toISOString(), node: process.version, packs: packs.map((p) => p.name), missing, targets: TARGETS, per_pack: perPack, rows: json }, null, 2)}\n`,
  );
  console.log(`\nreport: ${md}`);
  if (process.env.BENCH_STRICT === "1" && missed.length) process.exitCode = 1;
}

await main();
