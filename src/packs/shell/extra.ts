import { TAGS } from "../common";
import { isSecretName, moreSecretFile } from "./credentials";
import type { Acc } from "./index";
import { hostOf, normPath, secretOf } from "./paths";
import { persistentTarget } from "./persistence";
import type { Redirect, Word } from "./tokenize";

/**
 * Smaller judgements about single commands and assignments, each following
 * a tag's definition in TAGS:
 * - recon: listing the firewall rules; reading the PAM configuration, cgroup
 *   release agents or user-namespace maps; looking at another process's open
 *   files or memory map; sweeping several credential stores or the hidden
 *   files of home directories; watching credential directories or a whole
 *   home for file events; listing a repository's secret names;
 * - evasion: ignoring the signals that stop a shell (`trap '' TERM`), turning
 *   off history appending, DNS lookups sent over HTTPS around the system
 *   resolver, LLM tracing switched off, commits under another identity;
 * - secrets: an SSH key passphrase or a credential variable in a request body
 *   (also exfiltration), WireGuard keys printed, a credential file's content
 *   printed from the git history;
 * - exfiltration: a file server that hands a directory to anyone on the
 *   network;
 * - remote-exec: building or installing a repository cloned earlier on the
 *   same line (`git clone URL && cd repo && make`);
 * - persistence: agent instructions or hooks checked out from another ref.
 * Skipping git hooks (`--no-verify`) and `--author` are judged in the git pack.
 */

/** Commands that only look at files or directories (they print, page, list or compare them). */
const READERS = new Set(
  "cat tac less more most head tail grep egrep fgrep rg ag awk gawk sed bat view vi vim nvim nano strings od xxd hexdump diff cmp file stat ls tree find du wc sort uniq cut".split(
    " ",
  ),
);
const LISTERS = new Set(["ls", "tree", "find", "stat", "du", "dir", "exa", "eza", "lsd"]);

/** Directories of a home that hold credentials. */
const CREDENTIAL_STORES = ["~/.ssh", "~/.aws", "~/.kube", "~/.gnupg", "~/.azure", "~/.config/gcloud", "~/.docker", "~/.password-store"];

/** When `p` is (inside) one of the credential directories of the home, which one. */
export function credentialStore(p: string): string | null {
  if (p.length > 4096) return null;
  let n = normPath(p);
  if (n.startsWith("/root/")) n = `~${n.slice(5)}`;
  else if (/^\/(home|Users)\/[^/]+\//.test(n)) n = `~${n.slice(n.indexOf("/", n.indexOf("/", 1) + 1))}`;
  // Every store is under `~/`.
  if (!n.startsWith("~/")) return null;
  for (const dir of CREDENTIAL_STORES) if (n === dir || n.startsWith(`${dir}/`)) return dir;
  return null;
}

/** Credential stores a line has listed so far, to see a sweep across several of them. */
const storesSeen = new WeakMap<Acc, Set<string>>();
const swept = new WeakSet<Acc>();

function storeSweep(name: string, vals: readonly string[], acc: Acc): void {
  if (!LISTERS.has(name)) return;
  let seen = storesSeen.get(acc);
  for (const v of vals) {
    if (v.startsWith("-")) continue;
    const s = credentialStore(v);
    if (!s) continue;
    if (!seen) {
      seen = new Set();
      storesSeen.set(acc, seen);
    }
    seen.add(s);
  }
  if (seen && seen.size >= 2 && !swept.has(acc)) {
    swept.add(acc);
    acc.tag(TAGS.recon);
    acc.find(`lists several credential stores (${[...seen].join(", ")}), mapping where the credentials are`);
  }
}

/**
 * Files a container escape writes (cgroup release agents, user-namespace id
 * maps); reading them checks whether it can. binfmt_misc is left out: it is
 * looked at for ordinary cross-architecture builds.
 */
const ESCAPE_HOOKS = /(^\/sys\/fs\/cgroup\/.*\/?(release_agent|notify_on_release)$|^\/proc\/(\d+|self)\/(uid_map|gid_map|setgroups)$)/;
const PROC_OTHER = /^\/proc\/(\d+|\$\([^)]*\)|\$\{?\w+\}?)\/(fd|fdinfo|maps|smaps|smaps_rollup|map_files|pagemap)(\/|$)/;
const PAM = /^\/etc\/(pam\.conf$|pam\.d(\/|$))/;

function readsSecurityConfig(name: string, vals: readonly string[], acc: Acc): void {
  if (!READERS.has(name)) return;
  for (const v of vals) {
    // Every pattern below is an absolute path, and normPath makes no other word (an option included) absolute.
    if (!v.startsWith("/") || v.length > 4096) continue;
    const n = normPath(v);
    if (PAM.test(n)) {
      acc.tag(TAGS.recon);
      acc.find(`${name} reads the PAM configuration (${n}), how logins and sudo are checked`);
      return;
    }
    if (ESCAPE_HOOKS.test(n)) {
      acc.tag(TAGS.recon);
      acc.find(`${name} reads ${n}, a file container escapes write to: it checks whether one is possible`);
      return;
    }
    if (PROC_OTHER.test(n)) {
      acc.tag(TAGS.recon);
      acc.find(`${name} looks at another process's open files or memory map (${n})`);
      return;
    }
  }
}

/** `iptables -L`, `iptables-save`, `nft list ruleset`: the firewall's rules (`ufw status`, the routine health check, is left alone). */
function firewallList(name: string, vals: readonly string[], redirects: readonly Redirect[], acc: Acc): void {
  let lists = false;
  if (name === "iptables" || name === "ip6tables")
    lists = vals.some((v) => v === "--list" || v === "--list-rules" || /^-[a-zA-Z]*[LS]/.test(v));
  else if (name === "iptables-save" || name === "ip6tables-save") lists = !redirects.some((r) => r.op === "<");
  else if (name === "nft") lists = vals.filter((v) => !v.startsWith("-"))[0] === "list";
  else if (name === "firewall-cmd") lists = vals.some((v) => v.startsWith("--list"));
  if (lists) {
    acc.tag(TAGS.recon);
    acc.find(`${name} lists the firewall rules, a map of what the machine lets through`);
  }
}

const STOP_SIGNALS = /^(SIG)?(TERM|INT|HUP|QUIT|TSTP|15|2|1|3)$/;

function trapIgnore(vals: readonly string[], acc: Acc): void {
  const from = vals[0] === "--" ? 1 : 0;
  if (vals[from] !== "" || vals.length < from + 2) return;
  const sigs = vals.slice(from + 1).filter((s) => STOP_SIGNALS.test(s.toUpperCase()));
  if (sigs.length === 0) return;
  acc.tag(TAGS.evasion);
  acc.find(`trap '' ${sigs.join(" ")} makes the shell ignore ${sigs.join(", ")}, so it cannot be stopped or hung up that way`);
}

/** Roots whose hidden files (dotfiles) are the user's configuration and credentials. */
function homeish(p: string): boolean {
  const n = normPath(p);
  return n === "~" || n === "/" || n === "/home" || n === "/Users" || n === "/root" || /^\/(home|Users)\/[^/]+$/.test(n);
}

function hiddenFileSweep(vals: readonly string[], acc: Acc): void {
  const roots: string[] = [];
  for (const v of vals) {
    if (v.startsWith("-") || v === "!" || v === "(") break;
    roots.push(v);
  }
  if (!roots.some(homeish)) return;
  for (let i = 0; i < vals.length - 1; i++) {
    const v = vals[i];
    if ((v === "-name" || v === "-iname") && (vals[i + 1] ?? "") === ".*") {
      acc.tag(TAGS.recon);
      acc.find(`find sweeps ${roots.join(" ")} for hidden files, where configuration and credentials live`);
      return;
    }
  }
}

function watches(name: string, vals: readonly string[], acc: Acc): void {
  const recursive = vals.some((v) => v === "-r" || v === "--recursive" || (/^-[a-zA-Z]+$/.test(v) && v.includes("r")));
  const paths = vals.filter((v) => !v.startsWith("-"));
  const store = paths.map((p) => credentialStore(p) ?? (secretOf(p) ? p : null)).find((s) => s !== null);
  if (store) {
    acc.tag(TAGS.recon);
    acc.find(`${name} watches ${store} for file events: it learns when credentials are used or changed`);
    return;
  }
  const broad = name === "fswatch" || recursive ? paths.find(homeish) : undefined;
  if (broad) {
    acc.tag(TAGS.recon);
    acc.find(`${name} watches every file event under ${broad}`);
  }
}

/**
 * Key generation with a passphrase in `-N`: the passphrase is on the command
 * line. (`-N ""` makes a key without one: that reads no credential.)
 */
function sshKeygen(vals: readonly string[], acc: Acc): void {
  // Reading, converting or checking keys (-l, -y, -F, -R, -e, -i, -Y ...) makes no new key.
  if (vals.some((v) => /^-[lyFRHeiYBDkQrsLA]/.test(v))) return;
  const k = vals.indexOf("-N");
  const phrase = k >= 0 ? vals[k + 1] : vals.find((v) => v.startsWith("-N") && v.length > 2)?.slice(2);
  if (!phrase) return;
  acc.tag(TAGS.secrets);
  acc.find("ssh-keygen gets the new key's passphrase on the command line, where process listings and logs see it");
}

const DOH_PATH = /^[a-z]+:\/\/[^/?#]+\/(dns-query|resolve)(\?|$|\/)/i;
const DOH_TYPE = /application\/dns-(message|json)\b/i;

function dnsOverHttps(name: string, vals: readonly string[], acc: Acc): void {
  const url = vals.find((v) => DOH_PATH.test(v) && (/\/dns-query/i.test(v) || /[?&]name=/i.test(v)));
  const typed = vals.some((v) => DOH_TYPE.test(v));
  if (!url && !typed) return;
  acc.tag(TAGS.evasion);
  acc.find(`${name} looks a name up over DNS-over-HTTPS, around the system resolver and any DNS monitoring or filtering`);
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/;

/** `python -m http.server` (all interfaces unless --bind says otherwise) and `http-server`. */
function fileServer(name: string, vals: readonly string[], acc: Acc): void {
  let bind: string | undefined;
  let dir = ".";
  if (/^python[0-9.]*$/.test(name)) {
    const m = vals.indexOf("-m");
    if (m < 0 || vals[m + 1] !== "http.server") return;
    const rest = vals.slice(m + 2);
    for (let i = 0; i < rest.length; i++) {
      const v = rest[i] ?? "";
      if (v === "-b" || v === "--bind") bind = rest[i + 1] ?? "";
      else if (v.startsWith("--bind=")) bind = v.slice(7);
      else if (v === "-d" || v === "--directory") dir = rest[i + 1] ?? dir;
    }
  } else {
    const at = name === "http-server" ? -1 : vals.indexOf("http-server");
    if (name !== "http-server" && (name !== "npx" || at < 0)) return;
    const rest = vals.slice(at + 1);
    for (let i = 0; i < rest.length; i++) {
      const v = rest[i] ?? "";
      if (v === "-a") bind = rest[i + 1] ?? "";
      else if (!v.startsWith("-") && i === 0) dir = v;
    }
  }
  if (bind !== undefined && LOOPBACK.test(bind)) return;
  acc.tag(TAGS.exfiltration, TAGS.network);
  acc.find(`serves the files under ${dir} to anyone who can reach this machine${bind ? ` on ${bind}` : " (all interfaces)"}`);
}

/** Directories `git clone` filled earlier on the line, to the URL they came from. */
const clones = new WeakMap<Acc, Map<string, string>>();
/** The cloned directory a `cd` on this line moved into. */
const inClone = new WeakMap<Acc, string>();

function cloneDir(url: string): string {
  const u = url.replace(/\/+$/, "");
  const base = u.slice(Math.max(u.lastIndexOf("/"), u.lastIndexOf(":")) + 1);
  return base.endsWith(".git") ? base.slice(0, -4) : base;
}

const PY_BUILD = /^(pip[0-9.]*|uv)$/;
/** A command that builds or installs the project in the current directory, running its own code (Makefile, setup.py, package scripts). */
function buildsHere(name: string, vals: readonly string[]): boolean {
  const pos = vals.filter((v) => !v.startsWith("-"));
  const a = pos[0] ?? "";
  if (["make", "gmake", "ninja", "configure", "gradlew", "gradle", "mvn", "mvnw", "just", "rake", "meson"].includes(name)) return true;
  if (name === "cmake") return true;
  if (/^python[0-9.]*$/.test(name))
    return (
      a === "setup.py" ||
      a.endsWith("/setup.py") ||
      (vals[0] === "-m" && vals[1] === "pip" && pos.includes("install") && (pos.includes(".") || vals.includes("-e")))
    );
  if (PY_BUILD.test(name))
    return (
      (a === "install" || (name === "uv" && a === "pip")) &&
      (pos.includes(".") || vals.includes("-e") || pos.some((p) => p.startsWith("./")))
    );
  if (["npm", "pnpm", "yarn", "bun"].includes(name))
    return pos.length === 0 || ["install", "i", "ci", "run", "start", "test", "build", "exec"].includes(a);
  if (name === "cargo") return ["build", "run", "install", "test"].includes(a);
  if (name === "go") return ["run", "build", "generate", "test", "install"].includes(a) && !pos.slice(1).some((p) => p.includes("@"));
  if (name === "sh" || name === "bash" || name === "zsh") return a.endsWith(".sh") && !a.startsWith("/");
  return false;
}

/** The URL a relative path came from when it lies in a directory cloned earlier on the line (or the line `cd`'d into one). */
export function clonedFrom(path: string, acc: Acc): string | undefined {
  const seen = clones.get(acc);
  if (!seen) return undefined;
  const here = inClone.get(acc);
  if (here !== undefined && !path.startsWith("/")) return seen.get(here);
  const n = normPath(path);
  for (const [dir, url] of seen) if (n === dir || n.startsWith(`${dir}/`)) return url;
  return undefined;
}

function afterClone(name: string, vals: readonly string[], acc: Acc): void {
  const seen = clones.get(acc);
  if (!seen) return;
  if (name === "cd") {
    const dir = normPath(vals.find((v) => !v.startsWith("-")) ?? "");
    if (seen.has(dir)) inClone.set(acc, dir);
    else inClone.delete(acc);
    return;
  }
  const dir = inClone.get(acc);
  if (dir === undefined || !buildsHere(name, vals)) return;
  acc.tag(TAGS.remote_exec, TAGS.network);
  acc.find(`${name} builds or installs ${dir}, cloned from ${seen.get(dir)} on this line: it runs code fetched from the network`);
}

/** Called after a git command was classified (see afterGit in flow.ts). */
export function extraGit(words: readonly Word[], acc: Acc): void {
  const vals = words.map((w) => w.value);
  let i = 1;
  while (i < vals.length && (vals[i] ?? "").startsWith("-")) i += vals[i] === "-c" || vals[i] === "-C" ? 2 : 1;
  const sub = vals[i] ?? "";
  const rest = vals.slice(i + 1);
  if (sub === "clone") {
    const pos = rest.filter(
      (v, k) =>
        !v.startsWith("-") &&
        ![
          "-b",
          "--branch",
          "-o",
          "--origin",
          "--depth",
          "-c",
          "--config",
          "--reference",
          "-j",
          "--jobs",
          "--template",
          "--separate-git-dir",
          "--filter",
        ].includes(rest[k - 1] ?? ""),
    );
    const url = pos[0];
    if (!url) return;
    const dir = normPath(pos[1] ?? cloneDir(url));
    let m = clones.get(acc);
    if (!m) {
      m = new Map();
      clones.set(acc, m);
    }
    m.set(dir, url);
    return;
  }
  // Agent instructions, hooks or start-up files taken from another branch or commit.
  if (sub === "checkout" || sub === "restore") {
    const dd = rest.indexOf("--");
    const from =
      sub === "restore"
        ? (rest.find((v) => v.startsWith("--source="))?.slice(9) ??
          (rest.includes("-s") ? rest[rest.indexOf("-s") + 1] : rest.includes("--source") ? rest[rest.indexOf("--source") + 1] : undefined))
        : dd > 0
          ? rest.slice(0, dd).find((v) => !v.startsWith("-"))
          : undefined;
    if (from === undefined || dd < 0) return;
    for (const p of rest.slice(dd + 1)) {
      const what = persistentTarget(p);
      if (what) {
        acc.tag(TAGS.persistence);
        acc.find(`git ${sub} replaces ${p} (${what}) with the version from ${from}`);
        return;
      }
    }
    return;
  }
  // The content of a credential file, from the history: `git show HEAD:.env`, `git log -p -- secrets.env`.
  if (!["log", "show", "diff", "blame", "annotate", "cat-file", "whatchanged"].includes(sub)) return;
  if (sub === "log" && !rest.some((v) => v === "-p" || v === "--patch" || v === "-u" || /^-[a-zA-Z]*p$/.test(v))) return;
  const dd = rest.indexOf("--");
  const paths = dd >= 0 ? rest.slice(dd + 1) : rest.filter((v) => !v.startsWith("-"));
  for (const p of paths) {
    const file = p.includes(":") ? p.slice(p.indexOf(":") + 1) : p;
    const what = secretOf(file)?.what ?? moreSecretFile(file);
    if (what) {
      acc.tag(TAGS.secrets);
      acc.find(`git ${sub} prints the content of ${file} (${what}) as the repository holds it`);
      return;
    }
  }
}

const BODY_OPTS = new Set([
  "-d",
  "--data",
  "--data-raw",
  "--data-binary",
  "--data-urlencode",
  "--data-ascii",
  "-F",
  "--form",
  "--form-string",
  "--json",
]);
const VAR_REF = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

function secretVarIn(v: string): string | null {
  if (!v.includes("$")) return null;
  for (const m of v.matchAll(VAR_REF)) if (m[1] && isSecretName(m[1])) return m[1];
  return null;
}

/**
 * A credential variable expanded into what a request sends as its body
 * (`curl -d "key=$AWS_SECRET_ACCESS_KEY"`, `wget --post-data=...$TOKEN`):
 * the credential itself leaves the machine. A token in an Authorization
 * header is how an API is called, and is left alone.
 */
function secretInBody(name: string, args: readonly Word[], acc: Acc): void {
  let found: string | null = null;
  for (let i = 0; i < args.length && !found; i++) {
    const w = args[i] as Word;
    if (!w.expanded) {
      const v = w.value;
      if (name === "curl" && BODY_OPTS.has(v)) {
        const next = args[i + 1];
        if (next?.expanded) found = secretVarIn(next.value);
        i++;
      }
      continue;
    }
    const v = w.value;
    const eq = v.indexOf("=");
    if (name === "curl" && /^--(data|data-raw|data-binary|data-urlencode|form|json)=/.test(v)) found = secretVarIn(v.slice(eq + 1));
    else if (name === "wget" && /^--(post-data|body-data)=/.test(v)) found = secretVarIn(v.slice(eq + 1));
  }
  if (!found) return;
  const host = args.map((w) => hostOf(w.value, false)).find((h) => h);
  acc.tag(TAGS.secrets, TAGS.exfiltration);
  acc.find(`${name} sends $${found}, a credential, in the request body${host ? ` to ${host}` : ""}`);
}

/** Variables that override who git records as a commit's author or committer. */
const GIT_IDENTITY_VARS = /^GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL)$/;

/**
 * Switches that turn off the tracing of an LLM application or agent (the
 * record of its prompts, tool calls and answers). Vendor telemetry opt-outs
 * (DO_NOT_TRACK, *_TELEMETRY_DISABLED), experiment trackers (WANDB_MODE)
 * and general OpenTelemetry switches are not the agent's audit record and are
 * left alone.
 */
const TRACING_OFF: Record<string, RegExp> = {
  LANGCHAIN_TRACING_V2: /^(false|0|no)$/i,
  LANGCHAIN_TRACING: /^(false|0|no)$/i,
  LANGSMITH_TRACING: /^(false|0|no)$/i,
  HELICONE_ENABLED: /^(false|0|no)$/i,
  LANGFUSE_ENABLED: /^(false|0|no)$/i,
  LANGFUSE_TRACING_ENABLED: /^(false|0|no)$/i,
};

/** Called for every variable assignment, as a prefix or on its own (see onAssign in flow.ts). */
export function extraAssign(name: string, value: string, acc: Acc): void {
  if (GIT_IDENTITY_VARS.test(name) && value !== "") {
    acc.tag(TAGS.evasion);
    acc.find(`sets ${name}=${value}, so commits made here are recorded under that identity, not the configured one`);
  }
  const off = Object.hasOwn(TRACING_OFF, name) ? TRACING_OFF[name] : undefined;
  if (off?.test(value.replace(/^['"]|['"]$/g, ""))) {
    acc.tag(TAGS.evasion);
    acc.find(`sets ${name}=${value}, which turns off the tracing that records what the LLM application or agent does`);
  }
}

/** Called for every classified command (see afterCommand in flow.ts). */
export function extraCommand(
  name: string,
  args: readonly Word[],
  acc: Acc,
  redirects: readonly Redirect[],
  vals: readonly string[] = args.map((w) => w.value),
): void {
  afterClone(name, vals, acc);
  storeSweep(name, vals, acc);
  readsSecurityConfig(name, vals, acc);
  switch (name) {
    case "iptables":
    case "ip6tables":
    case "iptables-save":
    case "ip6tables-save":
    case "nft":
    case "firewall-cmd":
      firewallList(name, vals, redirects, acc);
      break;
    case "trap":
      trapIgnore(vals, acc);
      break;
    case "shopt":
      if (vals[0] === "-u" && vals.includes("histappend")) {
        acc.tag(TAGS.evasion);
        acc.find("shopt -u histappend makes the shell overwrite the history file instead of adding to it, losing earlier sessions");
      }
      break;
    case "find":
      hiddenFileSweep(vals, acc);
      break;
    case "inotifywait":
    case "inotifywatch":
    case "fswatch":
      watches(name, vals, acc);
      break;
    case "ssh-keygen":
      sshKeygen(vals, acc);
      break;
    case "curl":
    case "wget":
      secretInBody(name, args, acc);
      dnsOverHttps(name, vals, acc);
      break;
    case "http":
    case "https":
    case "xh":
    case "curlie":
      dnsOverHttps(name, vals, acc);
      break;
    case "wg":
      if (vals[0] === "show" && vals.some((v) => v === "private-key" || v === "preshared-keys")) {
        acc.tag(TAGS.secrets);
        acc.find(`wg show ${vals.includes("private-key") ? "private-key" : "preshared-keys"} prints WireGuard secret keys`);
      }
      break;
    case "gh":
      if (vals[0] === "secret" && (vals[1] === "list" || vals[1] === "ls")) {
        acc.tag(TAGS.recon);
        acc.find("gh secret list lists the names of the secrets a repository or organisation holds");
      }
      break;
    default:
      if ((name.startsWith("python") && /^python[0-9.]*$/.test(name)) || name === "npx" || name === "http-server")
        fileServer(name, vals, acc);
  }
}
