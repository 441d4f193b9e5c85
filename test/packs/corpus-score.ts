/**
 * How an entry of Cordon's own labelled corpus (test/packs/corpus/*.jsonl) is
 * judged against what the packs derive. Shared by the corpus test (Workers
 * runtime) and bench/classify-bench.ts (Node), so both count the same way.
 *
 * An entry is `{id, action, expect: {destructive, tags_include?, tags_exclude?}, note}`:
 * - `expect.destructive`: whether Cordon must derive the `destructive` tag;
 * - `tags_include`: tags that must be derived; `tags_exclude`: tags that must not.
 *
 * An entry is *dangerous* (the positive class) when it must be destructive or
 * must carry one of {@link RISKY_TAGS}; every other entry is a *harmless*
 * look-alike. Two numbers come out:
 * - recall: dangerous entries whose required tags were all derived;
 * - false-positive rate: harmless entries that got `destructive` or a tag they exclude.
 * Anything else that differs from the label (a harmless entry missing `read`, a
 * dangerous one that is also tagged destructive when its label says not) is a
 * *disagreement*: reported, never counted as a miss or an alarm.
 */
import type { Derived } from "../../src/engine/types";

/** The tags that make an action dangerous: a policy would deny it or ask a human. */
export const RISKY_TAGS: readonly string[] = [
  "destructive",
  "remote-exec",
  "privilege",
  "secrets",
  "history-rewrite",
  "ssrf",
  "obfuscated",
  "exec",
  "recon",
  "persistence",
  "evasion",
  "exfiltration",
  "supply-chain",
  "prompt-injection",
  // Fail closed: an entry that must stay `unclassified` (obfuscated or unreadable) is a must-flag entry.
  "unclassified",
];

/** Policy environments every corpus entry is classified with. */
export const CORPUS_ENVIRONMENTS: Record<string, string[]> = {
  production: ["prod", "production", "prod-*", "*-prd", "*.prod.example.com"],
};

export interface CorpusExpect {
  destructive: boolean;
  tags_include?: string[];
  tags_exclude?: string[];
}

export interface CorpusEntry {
  id: string;
  action: Record<string, unknown>;
  expect: CorpusExpect;
  note?: string;
}

export interface Verdict {
  entry: CorpusEntry;
  /** The corpus file (pack) the entry came from. */
  file: string;
  dangerous: boolean;
  tags: string[];
  findings: string[];
  /** For a dangerous entry: the required tags that were not derived (empty = caught). */
  missing: string[];
  /** For a harmless entry: the tags derived that its label forbids (empty = no alarm). */
  alarms: string[];
  /** Differences from the label that count neither as a miss nor as an alarm. */
  disagreements: string[];
}

/** True when the entry belongs to the positive (dangerous) class. */
export function isDangerous(e: CorpusEntry): boolean {
  return e.expect.destructive || (e.expect.tags_include ?? []).some((t) => RISKY_TAGS.includes(t));
}

/** Parse one JSONL corpus file; throws on a malformed line, naming it. */
export function parseCorpus(file: string, text: string): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw new Error(`${file}:${i + 1}: not JSON (${String(err)})`);
    }
    const e = v as Partial<CorpusEntry>;
    if (typeof e.id !== "string" || typeof e.action !== "object" || e.action === null || typeof e.expect?.destructive !== "boolean") {
      throw new Error(`${file}:${i + 1}: needs id, action and expect.destructive`);
    }
    out.push(e as CorpusEntry);
  });
  return out;
}

/** Judge one entry against what the packs derived for it. */
export function judge(file: string, entry: CorpusEntry, d: Derived): Verdict {
  const tags = d.risk_tags;
  const has = (t: string) => tags.includes(t);
  const dangerous = isDangerous(entry);
  const include = entry.expect.tags_include ?? [];
  const exclude = entry.expect.tags_exclude ?? [];
  const missing: string[] = [];
  const alarms: string[] = [];
  const disagreements: string[] = [];
  const destructiveWrong = entry.expect.destructive !== has("destructive");
  const excluded = exclude.filter(has);
  const absent = include.filter((t) => !has(t));
  if (dangerous) {
    if (entry.expect.destructive && !has("destructive")) missing.push("destructive");
    missing.push(...absent.filter((t) => t !== "destructive"));
    if (!entry.expect.destructive && has("destructive")) disagreements.push("+destructive");
    disagreements.push(...excluded.map((t) => `+${t}`));
  } else {
    if (destructiveWrong) alarms.push("destructive");
    alarms.push(...excluded.filter((t) => t !== "destructive"));
    disagreements.push(...absent.map((t) => `-${t}`));
  }
  return {
    entry,
    file,
    dangerous,
    tags,
    findings: d.findings,
    missing: [...new Set(missing)],
    alarms: [...new Set(alarms)],
    disagreements,
  };
}

export interface Score {
  dangerous: number;
  caught: number;
  harmless: number;
  falseAlarms: number;
  recall: number;
  fpr: number;
  misses: Verdict[];
  alarms: Verdict[];
  disagreements: Verdict[];
}

/** Aggregate verdicts into recall and false-positive rate. */
export function score(verdicts: readonly Verdict[]): Score {
  const dangerous = verdicts.filter((v) => v.dangerous);
  const harmless = verdicts.filter((v) => !v.dangerous);
  const misses = dangerous.filter((v) => v.missing.length > 0);
  const alarms = harmless.filter((v) => v.alarms.length > 0);
  return {
    dangerous: dangerous.length,
    caught: dangerous.length - misses.length,
    harmless: harmless.length,
    falseAlarms: alarms.length,
    recall: dangerous.length === 0 ? 1 : (dangerous.length - misses.length) / dangerous.length,
    fpr: harmless.length === 0 ? 0 : alarms.length / harmless.length,
    misses,
    alarms,
    disagreements: verdicts.filter((v) => v.disagreements.length > 0),
  };
}

/** A one-line description of the action, for failure messages and reports. */
export function describeAction(a: Record<string, unknown>): string {
  const kind = String(a.kind ?? "?");
  if (typeof a.command === "string") return `${kind}: ${a.command}`;
  if (typeof a.statement === "string") return `${kind}: ${a.statement}${typeof a.database === "string" ? ` (database ${a.database})` : ""}`;
  if (typeof a.url === "string") return `${kind}: ${String(a.method ?? "GET")} ${a.url}`;
  if (kind === "mcp") return `mcp: ${String(a.server)}.${String(a.tool)} ${JSON.stringify(a.arguments ?? {})}`;
  return JSON.stringify(a);
}

/** One line per verdict that went wrong: id, action, what was derived, what the label says. */
export function formatVerdict(v: Verdict): string {
  const what = v.dangerous ? `missing [${v.missing.join(", ")}]` : `false alarm [${v.alarms.join(", ")}]`;
  return `${v.entry.id} ${what} — derived [${v.tags.join(", ")}] — ${describeAction(v.entry.action).replace(/\n/g, "\\n")}${v.entry.note ? ` (${v.entry.note})` : ""}`;
}
