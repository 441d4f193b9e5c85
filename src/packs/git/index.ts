import type { Derived } from "../../engine/types";
import { derived, isProduction, TAGS } from "../common";
import type { Pack, PackContext } from "../index";
import { optionValue, type ParsedOptions, parseOptions } from "../options";
import { classifyShellLine } from "../shell/index";
import { hostOf } from "../shell/paths";
import { simpleArgv } from "../shell/tokenize";

/**
 * The git pack: `git <subcommand>` into `git.<subcommand>` with history-rewrite,
 * protected-branch and destructive tags. Flag order and short/long spellings do
 * not matter: options are parsed, not pattern-matched.
 */

/** Parsed options of one subcommand. */
type Opts = ParsedOptions;

function parseOpts(args: readonly string[], valueShort: string, valueLong: readonly string[]): Opts {
  return parseOptions(args, { valueShort, valueLong });
}

const PROTECTED_EXACT = new Set(["main", "master", "production", "prod", "trunk"]);

/** A branch that must not be force-pushed or deleted casually. */
export function isProtectedBranch(branch: string, ctx: PackContext): boolean {
  const b = branch.toLowerCase();
  return PROTECTED_EXACT.has(b) || b.startsWith("release/") || b.startsWith("releases/") || isProduction(branch, ctx);
}

function cleanRef(ref: string): string | null {
  let r = ref;
  if (r.startsWith("refs/heads/")) r = r.slice(11);
  if (r === "" || r === "HEAD" || r === "@") return null;
  return r;
}

const READ_SUBS = new Set([
  "status",
  "log",
  "diff",
  "show",
  "blame",
  "annotate",
  "shortlog",
  "describe",
  "rev-parse",
  "rev-list",
  "ls-files",
  "ls-tree",
  "cat-file",
  "grep",
  "whatchanged",
  "for-each-ref",
  "merge-base",
  "name-rev",
  "show-ref",
  "show-branch",
  "verify-commit",
  "verify-tag",
  "count-objects",
  "fsck",
  "help",
  "version",
  "var",
  "check-ignore",
  "check-attr",
  "range-diff",
  "archive",
  "cherry",
  "diff-tree",
  "diff-files",
  "diff-index",
  "hash-object",
  "instaweb",
]);

const WRITE_SUBS = new Set([
  "add",
  "commit",
  "merge",
  "rebase",
  "cherry-pick",
  "revert",
  "mv",
  "rm",
  "init",
  "am",
  "apply",
  "notes",
  "tag",
  "prune",
  "pack-refs",
  "repack",
  "maintenance",
  "sparse-checkout",
  "lfs",
  "mergetool",
  "difftool",
  "format-patch",
  "bundle",
  "replace",
  "bisect",
  "worktree",
  "update-index",
  "write-tree",
  "commit-tree",
  "restore",
  "switch",
  "checkout",
  "reset",
  "stash",
  "branch",
  "clean",
  "config",
  "remote",
  "submodule",
  "gc",
  "reflog",
  "update-ref",
  "push",
  "pull",
  "fetch",
  "clone",
  "ls-remote",
  "filter-branch",
  "filter-repo",
  "credential",
]);

/** The verbs of `git config` since git 2.46 (`git config set KEY VALUE`). */
const CONFIG_VERBS = new Set(["set", "get", "list", "unset", "rename-section", "remove-section", "edit"]);

/** `-c key=value` settings that make git run a program of the caller's choosing. */
const EXEC_CONFIG = [
  "alias.",
  "core.sshcommand",
  "core.pager",
  "core.fsmonitor",
  "core.hookspath",
  "core.editor",
  "core.gitproxy",
  "credential.helper",
  "diff.external",
  "protocol.ext.allow",
  "sequence.editor",
  "uploadpack.packobjectshook",
];

function isExecConfig(kv: string): boolean {
  const k = kv.toLowerCase();
  return (
    EXEC_CONFIG.some((p) => k.startsWith(p)) ||
    k.includes(".textconv") ||
    (k.startsWith("filter.") && (k.includes(".clean") || k.includes(".smudge") || k.includes(".process")))
  );
}

/**
 * `alias.NAME VALUE` whose value starts with a git subcommand this pack knows (`checkout`, `log --oneline`):
 * git expands it into that git command and runs no program of its own (an unknown name may be an external
 * `git-NAME` program). A `!` value is a shell command, and a
 * value starting with an option may carry `-c key=value`: both stay judged as running a program.
 */
function isPlainAlias(key: string, value: string | undefined): boolean {
  if (!key.toLowerCase().startsWith("alias.") || value === undefined) return false;
  const first = value.trimStart().split(/\s/, 1)[0] ?? "";
  return value === value.trimStart() && (READ_SUBS.has(first) || WRITE_SUBS.has(first) || ALIASABLE.has(first));
}
/** Subcommands judged in their own case below, besides READ_SUBS and WRITE_SUBS: an alias may name them. */
const ALIASABLE = new Set([
  "bisect",
  "branch",
  "checkout",
  "clean",
  "commit",
  "fetch",
  "pull",
  "push",
  "rebase",
  "reset",
  "restore",
  "stash",
  "switch",
  "tag",
  "worktree",
]);

/** Paths that mean "every file": discarding them throws away all uncommitted work. */
function isEverything(p: string): boolean {
  return p === "." || p === "./" || p === "*" || p === ":/" || p === ":" || p === "/";
}

/** What classifyGit finds, with the few ways it records it (methods, not per-call closures). */
class GitOut {
  constructor(
    readonly tags: Set<string>,
    readonly findings: string[],
    readonly labels: Record<string, string>,
    readonly ctx: PackContext,
  ) {}

  read(): void {
    this.tags.add(TAGS.read);
  }

  write(): void {
    this.tags.add(TAGS.write);
  }

  destroy(why: string): void {
    this.tags.add(TAGS.write);
    this.tags.add(TAGS.destructive);
    this.findings.push(why);
  }

  network(remote: string | undefined): void {
    this.tags.add(TAGS.network);
    if (remote === undefined) return;
    const host =
      hostOf(remote, false) ?? (remote.includes("@") && remote.includes(":") ? hostOf(remote.slice(0, remote.indexOf(":")), true) : null);
    if (host) {
      this.labels.host = host;
      if (isProduction(host, this.ctx)) this.tags.add(TAGS.production);
    }
  }

  branchLabel(b: string | null | undefined): void {
    if (!b) return;
    if (this.labels.branch === undefined) this.labels.branch = b;
    if (isProtectedBranch(b, this.ctx)) this.tags.add(TAGS.protected_branch);
    if (isProduction(b, this.ctx)) this.tags.add(TAGS.production);
  }
}

/**
 * Classify a git command line given as argv (`["git", "push", "--force"]`;
 * the leading `git` may be left out). Never throws.
 */
export function classifyGit(argv: readonly string[], ctx: PackContext): Derived {
  const tags = new Set<string>();
  const findings: string[] = [];
  const labels: Record<string, string> = {};
  let i = 0;
  const first = argv[0] ?? "";
  if (first === "git" || first.endsWith("/git") || first === "git.exe") i = 1;
  let sub = "";
  /** `-c user.email=...` overrides given before the subcommand. */
  const identity: string[] = [];
  // Global options before the subcommand.
  while (i < argv.length) {
    const a = argv[i] ?? "";
    if (a === "-c" || a === "--config-env") {
      const kv = argv[i + 1] ?? "";
      if (/^user\.(name|email)=./i.test(kv)) identity.push(kv);
      if (isExecConfig(kv)) {
        tags.add(TAGS.unclassified);
        findings.push(`git -c ${kv} makes git run a program of the caller's choosing`);
      }
      i += 2;
      continue;
    }
    if (a === "-C" || a === "--git-dir" || a === "--work-tree" || a === "--namespace" || a === "--super-prefix") {
      i += 2;
      continue;
    }
    if (a === "--version") {
      sub = "version";
      break;
    }
    if (a === "--help" || a === "-h") {
      sub = "help";
      break;
    }
    if (a.startsWith("-")) {
      i++;
      continue;
    }
    sub = a;
    break;
  }
  const rest = argv.slice(i + 1);
  if (sub === "") sub = "help";
  const capSub = /^[a-z][a-z0-9-]{0,40}$/.test(sub) ? sub : "unknown";
  const capability = `git.${capSub}`;

  const g = new GitOut(tags, findings, labels, ctx);

  switch (sub) {
    case "push": {
      const o = parseOpts(rest, "o", ["push-option", "repo", "receive-pack", "exec", "recurse-submodules"]);
      g.write();
      const remote = o.pos[0] ?? (typeof o.long.get("repo") === "string" ? (o.long.get("repo") as string) : undefined);
      if (remote !== undefined) labels.remote = remote;
      g.network(remote);
      if (remote !== undefined && isProduction(remote, ctx)) tags.add(TAGS.production);
      if (o.long.has("receive-pack") || o.long.has("exec")) {
        tags.add(TAGS.unclassified);
        findings.push("git push --receive-pack runs a program of the caller's choosing on the remote");
      }
      const lease = o.long.has("force-with-lease") || o.long.has("force-if-includes");
      let force = o.short.has("f") || o.long.has("force") || lease;
      const del = o.short.has("d") || o.long.has("delete");
      const refspecs = o.pos.slice(1).concat(o.tail);
      let plusRef = false;
      for (const spec of refspecs) {
        let s = spec;
        if (s.startsWith("+")) {
          plusRef = true;
          s = s.slice(1);
        }
        const colon = s.indexOf(":");
        const dst = cleanRef(colon >= 0 ? s.slice(colon + 1) : s);
        g.branchLabel(dst);
        if ((colon === 0 || del) && dst) g.destroy(`git push deletes the remote branch ${dst}`);
      }
      if (plusRef) force = true;
      if (force) {
        tags.add(TAGS.history_rewrite);
        g.destroy(
          `git push ${plusRef && !o.short.has("f") && !o.long.has("force") && !lease ? "with a +refspec" : lease ? "--force-with-lease" : "--force"} overwrites remote history`,
        );
      }
      if (o.long.has("mirror")) {
        tags.add(TAGS.history_rewrite);
        g.destroy("git push --mirror overwrites and deletes remote refs to match the local repository");
      }
      if (o.long.has("prune")) g.destroy("git push --prune deletes remote branches that have no local counterpart");
      if (o.long.has("all") || o.long.has("branches") || o.long.has("mirror")) {
        tags.add(TAGS.protected_branch);
        findings.push("pushes every branch, protected ones included");
      }
      if (refspecs.length === 0 && !o.long.has("all") && !o.long.has("mirror") && !o.long.has("tags"))
        findings.push("pushes the current branch, which the command line does not name");
      break;
    }
    case "reset": {
      const o = parseOpts(rest, "", ["pathspec-from-file"]);
      if (o.long.has("hard")) g.destroy("git reset --hard discards uncommitted changes");
      else g.write();
      if (o.pos[0] && !o.long.has("hard")) labels.ref = o.pos[0];
      break;
    }
    case "clean": {
      const o = parseOpts(rest, "e", ["exclude"]);
      if (o.short.has("n") || o.long.has("dry-run")) g.read();
      else if (o.short.has("f") || o.long.has("force")) {
        const what = [o.short.has("d") ? "untracked directories" : "", o.short.has("x") || o.short.has("X") ? "ignored files" : ""].filter(
          Boolean,
        );
        g.destroy(`git clean -f permanently deletes untracked files${what.length ? ` (and ${what.join(" and ")})` : ""}`);
      } else g.write();
      break;
    }
    case "branch": {
      const o = parseOpts(rest, "ut", [
        "set-upstream-to",
        "contains",
        "no-contains",
        "merged",
        "no-merged",
        "points-at",
        "sort",
        "format",
        "color",
        "column",
      ]);
      const del = o.short.has("d") || o.long.has("delete");
      const force = o.short.has("f") || o.long.has("force");
      if (o.short.has("D") || (del && force)) {
        for (const b of o.pos) g.branchLabel(b);
        g.destroy(`git branch -D force-deletes ${o.pos.length ? o.pos.join(", ") : "a branch"}, unmerged work included`);
      } else if (del) {
        for (const b of o.pos) g.branchLabel(b);
        g.write();
      } else if (force && o.pos.length > 0) {
        g.branchLabel(o.pos[0]);
        g.destroy(`git branch -f moves the existing branch ${o.pos[0]}, dropping commits from it`);
      } else if (
        ["m", "M", "c", "C", "u"].some((f) => o.short.has(f)) ||
        o.long.has("set-upstream-to") ||
        o.long.has("unset-upstream") ||
        o.long.has("edit-description") ||
        o.long.has("move") ||
        o.long.has("copy")
      ) {
        for (const b of o.pos) g.branchLabel(b);
        g.write();
      } else if (o.pos.length > 0 && !o.short.has("l") && !o.long.has("list")) {
        g.branchLabel(o.pos[0]);
        g.write();
      } else g.read();
      break;
    }
    case "checkout": {
      const o = parseOpts(rest, "bB", ["orphan", "conflict", "pathspec-from-file"]);
      const paths = o.tail.length > 0 ? o.tail : o.pos.filter(isEverything);
      if (paths.some(isEverything) || o.short.has("f") || o.long.has("force"))
        g.destroy("git checkout discards uncommitted changes in the working tree");
      else if (o.tail.length > 0) {
        g.write();
        findings.push(`git checkout -- ${o.tail.join(" ")} discards uncommitted changes to those files`);
      } else {
        g.write();
        g.branchLabel(optionValue(o.short.get("b")) ?? optionValue(o.short.get("B")) ?? o.pos[0]);
      }
      break;
    }
    case "switch": {
      const o = parseOpts(rest, "cC", ["orphan", "conflict"]);
      if (o.long.has("discard-changes") || o.short.has("f") || o.long.has("force"))
        g.destroy("git switch --discard-changes throws away uncommitted changes");
      else g.write();
      g.branchLabel(optionValue(o.short.get("c")) ?? optionValue(o.short.get("C")) ?? o.pos[0]);
      break;
    }
    case "restore": {
      const o = parseOpts(rest, "s", ["source", "pathspec-from-file"]);
      const paths = o.pos.concat(o.tail);
      const worktree = o.short.has("W") || o.long.has("worktree") || !(o.short.has("S") || o.long.has("staged"));
      if (worktree && (paths.some(isEverything) || paths.length === 0))
        g.destroy("git restore . discards every uncommitted change in the working tree");
      else {
        g.write();
        if (worktree) findings.push(`git restore discards uncommitted changes to ${paths.join(" ")}`);
      }
      break;
    }
    case "stash": {
      const o = parseOpts(rest, "m", ["message"]);
      const op = o.pos[0] ?? "push";
      if (op === "list" || op === "show") g.read();
      else if (op === "drop" || op === "clear") g.destroy(`git stash ${op} permanently discards stashed work`);
      else g.write();
      break;
    }
    case "reflog": {
      const op = rest.find((a) => !a.startsWith("-")) ?? "show";
      if (op === "expire" || op === "delete") g.destroy(`git reflog ${op} removes the safety net for recovering lost commits`);
      else g.read();
      break;
    }
    case "gc": {
      const o = parseOpts(rest, "", []);
      const prune = o.long.get("prune");
      if (prune === "now" || prune === "all") g.destroy(`git gc --prune=${prune} deletes unreachable commits immediately`);
      else g.write();
      break;
    }
    case "filter-branch":
    case "filter-repo": {
      tags.add(TAGS.history_rewrite);
      g.destroy(`git ${sub} rewrites the repository's history`);
      break;
    }
    case "update-ref": {
      const o = parseOpts(rest, "m", []);
      if (o.short.has("d")) g.destroy(`git update-ref -d deletes the ref ${o.pos[0] ?? ""}`.trim());
      else g.write();
      g.branchLabel(cleanRef(o.pos[0] ?? ""));
      break;
    }
    case "clone": {
      const o = parseOpts(rest, "bocuj", [
        "branch",
        "origin",
        "depth",
        "config",
        "reference",
        "upload-pack",
        "template",
        "separate-git-dir",
        "jobs",
        "filter",
        "shallow-since",
        "shallow-exclude",
      ]);
      g.write();
      const url = o.pos[0] ?? o.tail[0];
      g.network(url);
      if (url?.startsWith("ext::")) {
        tags.add(TAGS.unclassified);
        tags.add(TAGS.obfuscated);
        findings.push("an ext:: URL makes git run an arbitrary command");
      }
      if (o.short.has("u") || o.long.has("upload-pack")) {
        tags.add(TAGS.unclassified);
        findings.push("git clone --upload-pack runs a program of the caller's choosing");
      }
      const cfg = optionValue(o.short.get("c")) ?? (typeof o.long.get("config") === "string" ? (o.long.get("config") as string) : "");
      if (cfg && isExecConfig(cfg)) {
        tags.add(TAGS.unclassified);
        findings.push(`git clone -c ${cfg} makes git run a program of the caller's choosing`);
      }
      if (optionValue(o.short.get("b"))) g.branchLabel(optionValue(o.short.get("b")));
      break;
    }
    case "fetch":
    case "ls-remote": {
      const o = parseOpts(rest, "j", ["depth", "upload-pack", "jobs", "refmap"]);
      g.read();
      if (o.pos[0]) labels.remote = o.pos[0];
      g.network(o.pos[0]);
      if (o.long.has("upload-pack")) {
        tags.add(TAGS.unclassified);
        findings.push("git fetch --upload-pack runs a program of the caller's choosing");
      }
      break;
    }
    case "pull": {
      const o = parseOpts(rest, "j", ["depth", "upload-pack", "jobs", "strategy", "strategy-option"]);
      g.write();
      if (o.pos[0]) labels.remote = o.pos[0];
      g.network(o.pos[0]);
      g.branchLabel(o.pos[1]);
      break;
    }
    case "remote": {
      const op = rest.find((a) => !a.startsWith("-"));
      if (op === undefined || op === "show" || op === "get-url") g.read();
      else g.write();
      if (op === "update" || op === "prune" || op === "show") tags.add(TAGS.network);
      break;
    }
    case "config": {
      const o = parseOpts(rest, "f", ["file", "type", "default"]);
      // Words after `--` are the key and value too (`git config alias.x -- '-c k=v log'`).
      const pos = [...o.pos, ...o.tail];
      // git 2.46 verbs: `git config set KEY VALUE`, `git config get KEY`, `git config unset KEY`, ...
      const verb = CONFIG_VERBS.has(pos[0] ?? "") ? (pos.shift() as string) : "";
      o.pos = pos;
      const changes =
        verb === "set" ||
        verb === "unset" ||
        verb.endsWith("-section") ||
        [...o.long.keys()].some((k) => k.startsWith("unset") || k.endsWith("-section") || k === "add" || k === "replace-all");
      if (verb === "edit" || o.short.has("e") || o.long.has("edit")) {
        g.write();
        tags.add(TAGS.unclassified);
        findings.push("git config --edit opens the configuration in an editor");
        break;
      }
      const isRead =
        !changes &&
        (verb === "get" ||
          verb === "list" ||
          o.short.has("l") ||
          [...o.long.keys()].some((k) => k === "list" || k.startsWith("get") || k === "show-origin") ||
          o.pos.length <= 1);
      if (isRead) g.read();
      else {
        g.write();
        if (o.long.has("global") || o.long.has("system")) tags.add(TAGS.outside_workspace);
        const unset = verb === "unset" || [...o.long.keys()].some((k) => k.startsWith("unset"));
        if (o.pos[0] && isPlainAlias(o.pos[0], o.pos[1])) {
          findings.push(`git config ${o.pos[0]} defines an alias for git ${o.pos[1]}`);
        } else if (o.pos[0] && unset && isExecConfig(o.pos[0]) && o.pos[0].toLowerCase() !== "core.hookspath") {
          // Removing such a setting brings back git's default; no program of the caller's is named.
          findings.push(`git config removes ${o.pos[0]}, so git falls back to its default`);
        } else if (o.pos[0] && isExecConfig(o.pos[0])) {
          tags.add(TAGS.unclassified);
          findings.push(`git config ${o.pos[0]} makes git run a program of the caller's choosing`);
        }
      }
      break;
    }
    case "submodule": {
      const op = rest.find((a) => !a.startsWith("-")) ?? "status";
      if (op === "status" || op === "summary") g.read();
      else if (op === "foreach") {
        tags.add(TAGS.unclassified);
        findings.push("git submodule foreach runs a shell command in every submodule");
      } else {
        g.write();
        if (op === "update" || op === "add" || op === "sync") tags.add(TAGS.network);
      }
      break;
    }
    case "bisect": {
      const op = rest[0] ?? "";
      g.write();
      if (op === "run") {
        tags.add(TAGS.unclassified);
        findings.push("git bisect run executes a script at every step");
      }
      break;
    }
    case "worktree": {
      const o = parseOpts(rest, "b", []);
      const op = o.pos[0] ?? "list";
      if (op === "list") g.read();
      else if (op === "remove" && (o.short.has("f") || o.long.has("force")))
        g.destroy("git worktree remove --force deletes a worktree with uncommitted changes");
      else g.write();
      break;
    }
    case "tag": {
      const o = parseOpts(rest, "mFu", ["message", "file", "local-user", "sort", "format", "contains", "points-at"]);
      if ((o.pos.length === 0 && !o.short.has("d")) || o.short.has("l") || o.long.has("list")) g.read();
      else g.write();
      break;
    }
    case "commit": {
      g.write();
      if (rest.includes("--amend")) findings.push("git commit --amend rewrites the last commit");
      break;
    }
    case "rebase": {
      g.write();
      const o = parseOpts(rest, "sXx", ["onto", "strategy", "strategy-option", "exec"]);
      if (o.short.has("x") || o.long.has("exec")) {
        tags.add(TAGS.unclassified);
        findings.push("git rebase --exec runs a shell command after every commit");
      }
      break;
    }
    case "credential-cache": {
      // `exit` stops the cache daemon, forgetting what it held; `get`/`store`/`erase` are helper plumbing.
      if (rest.length === 1 && rest[0] === "exit") {
        g.write();
        findings.push("git credential-cache exit stops the credential cache, which forgets the cached credentials");
      } else {
        tags.add(TAGS.unclassified);
        findings.push("git credential-cache is called as a credential helper, which Cordon does not classify");
      }
      break;
    }
    default: {
      if (READ_SUBS.has(sub)) g.read();
      else if (WRITE_SUBS.has(sub)) g.write();
      else {
        tags.add(TAGS.unclassified);
        findings.push(`git ${sub} is not a subcommand Cordon knows (it may be an alias or an external git-${sub} program)`);
      }
    }
  }
  hooksAndIdentity(sub, rest, identity, tags, findings);
  return derived(capability, tags, labels, findings);
}

/** Subcommands whose hooks (pre-commit, commit-msg, pre-push, pre-merge-commit, applypatch-msg) `--no-verify` skips. */
const VERIFIED_SUBS = new Set(["commit", "push", "merge", "am", "rebase", "cherry-pick", "pull"]);
/** Subcommands that record an author or committer. */
const COMMITTING_SUBS = new Set(["commit", "merge", "am", "rebase", "cherry-pick", "revert", "pull", "tag", "notes", "stash"]);

/**
 * Evasion (TAGS.evasion): skipping the repository's hooks — often its secret
 * scanners, linters and tests — and commits recorded under another identity
 * than the one configured, which hides who made them.
 */
function hooksAndIdentity(sub: string, rest: readonly string[], identity: readonly string[], tags: Set<string>, findings: string[]): void {
  if (VERIFIED_SUBS.has(sub)) {
    let skip = rest.includes("--no-verify");
    // `-n` is --no-verify for commit only (for push, merge and pull it means something else).
    if (!skip && sub === "commit")
      skip = parseOpts(rest, "mFCctS", [
        "message",
        "file",
        "reuse-message",
        "reedit-message",
        "template",
        "author",
        "date",
        "fixup",
        "squash",
        "cleanup",
        "trailer",
      ]).short.has("n");
    if (skip) {
      tags.add(TAGS.evasion);
      findings.push(
        `git ${sub} --no-verify skips the repository's ${sub === "push" ? "pre-push" : "commit"} hooks and the checks they run`,
      );
    }
  }
  if (!COMMITTING_SUBS.has(sub)) return;
  const k = rest.indexOf("--author");
  const author = k >= 0 ? rest[k + 1] : rest.find((v) => v.startsWith("--author="))?.slice(9);
  if (author && sub === "commit") {
    tags.add(TAGS.evasion);
    findings.push(`git commit --author records ${author} as the author instead of the configured identity`);
  }
  for (const kv of identity) {
    tags.add(TAGS.evasion);
    findings.push(`git -c ${kv} records this ${sub} under another identity than the configured one`);
  }
}

/** The argv of a `{kind: "git"}` action: `args` (with or without the leading `git`), or a simple `command`. */
function gitArgv(action: Record<string, unknown>): string[] | null {
  const args = action.args;
  if (Array.isArray(args)) {
    const list = args.filter((a): a is string => typeof a === "string");
    if (list.length !== args.length) return null;
    return list[0] === "git" ? list : ["git", ...list];
  }
  return null;
}

const OVERLAY = `rules:
  - id: git-force-push-protected
    match:
      risk_tags: [history-rewrite, protected-branch]
    decision: DENY
    reason: Rewriting the history of a protected branch is blocked
  - id: git-delete-protected
    match:
      risk_tags: [destructive, protected-branch]
    decision: DENY
    reason: Destroying a protected branch is blocked
  - id: git-force-push-production
    match:
      risk_tags: [history-rewrite, production]
    decision: DENY
    reason: Rewriting the history of a production branch or remote is blocked
`;

/** The git pack: `{kind: "git", command: "git push --force"}` or `{kind: "git", args: [...]}`. */
export const gitPack: Pack = {
  name: "git",
  summary: "git commands: force pushes, protected branches, history rewrites and work-discarding commands",
  classify(action: Record<string, unknown>, ctx: PackContext): Derived | null {
    if (action.kind !== "git") return null;
    const argv = gitArgv(action);
    if (argv) return classifyGit(argv, ctx);
    const command = action.command;
    if (typeof command !== "string") {
      return derived("git.unknown", [TAGS.unclassified], {}, ["a git action with neither a command string nor an args list"]);
    }
    const simple = simpleArgv(command);
    if (simple && simple[0] === "git") return classifyGit(simple, ctx);
    // Not one plain git command (`git status; rm -rf /`, `sudo git ...`): classify the whole line.
    return classifyShellLine(command, ctx);
  },
  overlay: OVERLAY,
};
