import { type CompiledGlob, compileGlob } from "../engine/glob";
import type { Derived } from "../engine/types";
import type { PackContext } from "./index";

/**
 * The risk-tag vocabulary every pack derives from. Rules (the demo policy and
 * each pack's overlay) match on these names, so a pack never invents a tag
 * outside this list.
 */
export const TAGS = {
  /** Only reads state. */
  read: "read",
  /** Changes state. */
  write: "write",
  /** Deletes or destroys data or infrastructure, or cannot be undone. */
  destructive: "destructive",
  /** Targets something in the `production` environment (namespace, context, host, database, branch). */
  production: "production",
  /** Talks to the network; the host goes in labels.host. */
  network: "network",
  /**
   * Reads or carries credentials (files such as ~/.ssh, ~/.aws, .env; tokens in arguments), or reads the
   * content of another application's private per-user state (hidden entries of a home directory,
   * ~/Library, AppData; not caches, installed software, logs or public keys), where logins and tokens are
   * kept out of sight, or the clipboard.
   */
  secrets: "secrets",
  /** Gains privileges: sudo, su, chmod +s, GRANT, RBAC bindings. */
  privilege: "privilege",
  /** Runs code fetched from the network (curl | sh). */
  remote_exec: "remote-exec",
  /** Changes a schema (DDL). */
  schema_change: "schema-change",
  /** Writes outside the working tree (/etc, ~, absolute paths outside the workspace). */
  outside_workspace: "outside-workspace",
  /** Rewrites shared history: force pushes, filter-branch. */
  history_rewrite: "history-rewrite",
  /** Targets a protected branch (main, master, release/*, production). */
  protected_branch: "protected-branch",
  /** Executes inside a running workload (kubectl exec, attach, port-forward). */
  exec: "exec",
  /** Server-side request forgery risk: cloud metadata, private or loopback addresses. */
  ssrf: "ssrf",
  /** No pack could tell what this action does. Never read as safe. */
  unclassified: "unclassified",
  /** The action hides what it runs (variables as command names, base64 -d | sh, eval "$X"). */
  obfuscated: "obfuscated",
  /** Maps a system, network, account or cloud identity the way an intruder does before acting: scans and sweeps, enumeration of users, permissions, credentials' whereabouts or security controls. Ordinary reads of the working tree are only `read`. */
  recon: "recon",
  /** Makes something run later or survive the session: cron and at jobs, systemd or launchd units, shell start-up files, git hooks, authorized_keys, agent or editor configuration that runs on its own. */
  persistence: "persistence",
  /** Hides traces or weakens defences: clears shell history or logs, disables auditing, firewalls or security tools, rewrites timestamps. */
  evasion: "evasion",
  /** Sends local data (files, the environment, command output) to a network destination: curl -d @file, an upload, scp or rsync to a remote host, nc fed a file. */
  exfiltration: "exfiltration",
  /** Changes where code comes from or what a build runs: packages from a URL, git or non-default registry, publishing a package, editing CI pipelines, build files or package-manager configuration. */
  supply_chain: "supply-chain",
  /** Carries text that addresses an AI model with instructions to override its own: chat-template control tokens ([INST], <|im_start|>, <<SYS>>), "ignore previous instructions" and other override phrases, SYSTEM:/AGENT: directives hidden in comments or written as instructions. Text about prompt injection that quotes such a phrase is not. */
  prompt_injection: "prompt-injection",
} as const;

export type Tag = (typeof TAGS)[keyof typeof TAGS];

/** Build a Derived value, deduplicating tags and findings. */
export function derived(
  capability: string | undefined,
  tags: Iterable<string>,
  labels: Record<string, string>,
  findings: Iterable<string>,
): Derived {
  return {
    ...(capability !== undefined ? { capability } : {}),
    risk_tags: sortTags(tags instanceof Set ? [...tags] : [...new Set(tags)]),
    labels,
    findings: unique(findings),
  };
}

/**
 * `tags` sorted in place and returned: an insertion sort, since a derivation has a handful of tags
 * (Array.prototype.sort allocates its work space on every call); the same order as `.sort()`.
 */
export function sortTags(tags: string[]): string[] {
  if (tags.length > 16) return tags.sort();
  for (let i = 1; i < tags.length; i++) {
    const t = tags[i] as string;
    let j = i - 1;
    while (j >= 0 && (tags[j] as string) > t) {
      tags[j + 1] = tags[j] as string;
      j--;
    }
    tags[j + 1] = t;
  }
  return tags;
}

/** The items once each, in first-seen order (a linear search while they are few, as findings usually are). */
function unique(items: Iterable<string>): string[] {
  const out: string[] = [];
  for (const x of items) {
    if (out.length >= 32) return [...new Set([...out, x, ...items])];
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

const envCache = new WeakMap<Record<string, string[]>, Map<string, CompiledGlob[]>>();

/**
 * The environments (`production`, `staging`, ...) whose patterns match `value`
 * (a namespace, kube context, host name, database name or branch), using the
 * policy's `environments:` globs, case-insensitive.
 */
export function environmentsOf(value: string, ctx: PackContext): string[] {
  const compiled = compiledEnvironments(ctx);
  const v = value.toLowerCase();
  const out: string[] = [];
  for (const [name, globs] of compiled) if (matchesAny(globs, v)) out.push(name);
  return out;
}

function matchesAny(globs: readonly CompiledGlob[], v: string): boolean {
  for (const g of globs) if (g.test(v)) return true;
  return false;
}

/** The policy's environment globs, compiled once per environments object. */
function compiledEnvironments(ctx: PackContext): Map<string, CompiledGlob[]> {
  const environments = ctx.environments ?? {};
  let compiled = envCache.get(environments);
  if (!compiled) {
    compiled = new Map();
    for (const [name, patterns] of Object.entries(environments)) {
      const globs: CompiledGlob[] = [];
      for (const p of patterns) {
        try {
          globs.push(compileGlob(p, "", true));
        } catch {
          // The compiler already rejected bad globs; a pattern that fails here is skipped.
        }
      }
      compiled.set(name, globs);
    }
    envCache.set(environments, compiled);
  }
  return compiled;
}

/** True when `value` is in the policy's `production` environment. */
export function isProduction(value: string | undefined, ctx: PackContext): boolean {
  if (value === undefined || value === "") return false;
  const globs = compiledEnvironments(ctx).get("production");
  return globs !== undefined && matchesAny(globs, value.toLowerCase());
}
