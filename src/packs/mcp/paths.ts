/**
 * What a file path handed to an MCP file tool means, beyond the shell pack's
 * credential table (`secretOf`): files named as credentials, the XDG spelling
 * of known credential directories, sockets that hand out root, and the places
 * a write makes something run later (persistence), grants privileges, or hides
 * traces. Plain string work on a normalised, lower-cased path; no per-call
 * regex compilation.
 */
import { normPath, secretOf } from "../shell/paths";

/** Collapse `a/b/../c` and `/./` so `/tmp/../../home/u/.ssh` reads as `/home/u/.ssh`. */
export function resolveDots(p: string): string {
  const abs = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
      continue;
    }
    out.push(seg);
  }
  return (abs ? "/" : "") + out.join("/");
}

/** The path as these checks read it: `$HOME` as `~`, `C:\Users\x` as `/users/x`, dots resolved, lower case. */
export function canonicalPath(raw: string): string {
  let s = raw.trim().replaceAll("\\", "/");
  if (/^[a-z]:\//i.test(s)) s = s.slice(2);
  s = normPath(s);
  return resolveDots(s).toLowerCase() || s.toLowerCase();
}

/** A home directory prefix: `~/`, `/home/<u>/`, `/users/<u>/`, `/root/`; returns what follows it, or null. */
export function homeRelative(p: string): string | null {
  if (p.startsWith("~/")) return p.slice(2);
  if (p.startsWith("/root/")) return p.slice(6);
  for (const base of ["/home/", "/users/"]) {
    if (p.startsWith(base)) {
      const slash = p.indexOf("/", base.length);
      return slash > 0 ? p.slice(slash + 1) : null;
    }
  }
  return null;
}

/** Extensions of data and key files: a credential name with one of these (or none) is a credential file. */
const DATA_EXT = new Set([
  "",
  "json",
  "txt",
  "yaml",
  "yml",
  "toml",
  "ini",
  "conf",
  "cfg",
  "config",
  "xml",
  "properties",
  "env",
  "key",
  "pem",
  "p8",
  "p12",
  "pfx",
  "jks",
  "keystore",
  "db",
  "sqlite",
  "bin",
  "dat",
  "enc",
  "gpg",
  "asc",
  "secret",
]);

/** Words that make a data file's name a credential (`access-token`, `api_key`, `credentials.json`, `secret_file`). */
const CREDENTIAL_WORDS = new Set([
  "token",
  "credential",
  "credentials",
  "secret",
  "secrets",
  "password",
  "passwords",
  "htpasswd",
  "passphrase",
  "apikey",
  "privatekey",
]);

/** Words after the credential word that still name the credential file itself (`secret_file`, `token_cache`). */
const TRAILING_WORDS = new Set(["file", "files", "cache", "store", "db", "data", "local", "current", "old", "bak", "backup", "enc"]);
/** Words that say a file is a stand-in, not the real credential. */
const EXAMPLE_WORDS = new Set(["example", "examples", "sample", "template", "mock", "fake", "dummy", "placeholder", "redacted"]);

/** Words that say a file is about credentials (a policy, a setup task, a form), not one. */
const DOC_WORDS = new Set([
  "policy",
  "policies",
  "setup",
  "reset",
  "guide",
  "docs",
  "readme",
  "rules",
  "strength",
  "validator",
  "generator",
  "form",
  "handler",
  "controller",
  "schema",
  "manager",
  "service",
]);
/** Names that are credentials inside a tool's hidden directory, and too common elsewhere (`tokens.json` of a design system). */
const HIDDEN_CREDENTIAL_WORDS = new Set(["auth", "tokens", "session", "keys", "keyring", "wallet", "keychain"]);
/** Directories whose extension-less files are keys (`~/.ethereum/keystore/UTC--...`). */
const KEY_STORE_DIRS = ["/keystore/", "/keystores/", "/keyrings/", "/keychains/"];

/** Key-store extensions: the file is a private key or holds one. */
const KEY_EXT = new Set(["key", "p8", "p12", "pfx", "jks", "keystore", "ppk", "keyring", "keychain"]);

/** Directories whose files are identities or keys wherever they sit. */
const KEY_DIRS = ["/pki/", "/private/", "/secrets/", "/ssl/private/", "/keyrings/", "/keychains/"];

/** XDG spellings (`~/.config/<app>/`) of home-directory credential locations the shell table knows as `~/.<app>/`. */
const XDG_ROOTS = [".config/", ".local/share/"];

/** Locations that hand out root or a cluster identity to whoever can open them. */
const PRIVILEGED_FILES: readonly [string, string][] = [
  ["/var/run/docker.sock", "the Docker socket, which gives root on the host"],
  ["/run/docker.sock", "the Docker socket, which gives root on the host"],
  ["/run/containerd/containerd.sock", "the containerd socket, which gives root on the host"],
  ["/var/run/containerd/containerd.sock", "the containerd socket, which gives root on the host"],
  ["/var/run/crio/crio.sock", "the CRI-O socket, which gives root on the host"],
  ["/run/podman/podman.sock", "the root Podman socket, which gives root on the host"],
];

export interface PathHit {
  tag: string;
  what: string;
}

/** The credential a path refers to, or null: the shell pack's table first, then names and key locations. */
export function credentialOf(raw: string): string | null {
  if (raw.length > 4096) return null;
  const direct = secretOf(raw);
  if (direct) return direct.what;
  const p = canonicalPath(raw);
  if (p !== raw.toLowerCase()) {
    const resolved = secretOf(p);
    if (resolved) return resolved.what;
  }
  if (p.endsWith(".pub") || p.endsWith("known_hosts") || p.endsWith(".crt")) return null;
  // `~/.config/azure/x` is where newer versions keep what `~/.azure/x` held.
  const rel = homeRelative(p);
  if (rel !== null) {
    for (const root of XDG_ROOTS) {
      if (!rel.startsWith(root)) continue;
      const moved = secretOf(`~/.${rel.slice(root.length)}`);
      if (moved) return moved.what;
    }
    if (rel.startsWith(".config/ssh/") || rel === ".config/ssh") return "SSH keys";
  }
  if (p.startsWith("/etc/kubernetes/") && (p.endsWith(".conf") || p.includes("/pki/"))) return "Kubernetes cluster credentials";
  if (p.startsWith("/var/lib/kubelet/pki/")) return "the kubelet's client keys";
  const slash = p.lastIndexOf("/");
  const base = p.slice(slash + 1);
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot + 1) : "";
  const stem = dot > 0 ? base.slice(0, dot) : base;
  if (KEY_EXT.has(ext)) return "a private key or key store";
  if (ext === "pem" && (stem.includes("key") || KEY_DIRS.some((d) => p.includes(d)))) return "a private key";
  if (ext === "tfvars" || base.endsWith(".tfvars.json")) return "Terraform variables (often secrets)";
  if (ext === "env" && stem !== "" && !stem.split(/[-_.]/).some((w) => EXAMPLE_WORDS.has(w))) return "environment secrets (an .env file)";
  if (base.endsWith("_history") || base.endsWith("-history") || base === "consolehost_history.txt")
    return "command history (often holds pasted tokens)";
  if (
    ext === "json" &&
    (base.startsWith("service-account") || base.startsWith("service_account") || base.startsWith("serviceaccount")) &&
    !stem.split(/[-_.]/).some((w) => EXAMPLE_WORDS.has(w))
  )
    return "a service account key";
  if (DATA_EXT.has(ext)) {
    // Words of the name as written, so `masterPassword.xml` reads as master + password.
    const rawBase = raw.slice(Math.max(raw.lastIndexOf("/"), raw.lastIndexOf("\\")) + 1);
    const rawStem = rawBase.includes(".", 1) ? rawBase.slice(0, rawBase.lastIndexOf(".")) : rawBase;
    const words = rawStem
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .toLowerCase()
      .replace(/^\.+/, "")
      .split(/[-_.\s]+/)
      .filter((w) => w !== "" && !/^v?\d+$/.test(w));
    if (words.some((w) => EXAMPLE_WORDS.has(w) || DOC_WORDS.has(w))) return null;
    // The credential word names the file (`vault_password`, `token_cache`, `credentials.tfrc`).
    const meaningful = words.filter((w) => !TRAILING_WORDS.has(w));
    const ends = [meaningful[0] ?? "", meaningful[meaningful.length - 1] ?? ""];
    // In a tool's hidden directory (~/.fly, ~/.config/containers) more names are its credentials.
    const hidden = p.includes("/.");
    const named = ends.some((w) => CREDENTIAL_WORDS.has(w) || (hidden && HIDDEN_CREDENTIAL_WORDS.has(w)));
    if (named || stem.endsWith("credentials") || /^(?:api|access|auth|bearer|session)[-_]?key$/.test(stem))
      return "a file named as credentials";
    if (ext === "" && KEY_STORE_DIRS.some((d) => p.includes(d))) return "a key store";
  }
  return null;
}

/** A path that gives privileges to whoever opens it (container runtime sockets), or null. */
export function privilegedFileOf(raw: string): string | null {
  const p = canonicalPath(raw);
  for (const [file, what] of PRIVILEGED_FILES) if (p === file) return what;
  return null;
}

function under(p: string, dir: string): boolean {
  return p === dir || p.startsWith(`${dir}/`);
}

/** Shell start-up files in a home directory (relative to it). */
const STARTUP_FILES = new Set([
  ".bashrc",
  ".bash_profile",
  ".bash_login",
  ".bash_logout",
  ".profile",
  ".zshrc",
  ".zprofile",
  ".zshenv",
  ".zlogin",
  ".cshrc",
  ".tcshrc",
  ".kshrc",
  ".config/fish/config.fish",
  ".config/nushell/config.nu",
  ".config/nushell/env.nu",
]);
/** System places whose contents run on their own: boot, login, schedules, services, preloads. */
const PERSISTENCE_DIRS = [
  "/etc/cron.d",
  "/etc/cron.daily",
  "/etc/cron.hourly",
  "/etc/cron.weekly",
  "/etc/cron.monthly",
  "/var/spool/cron",
  "/etc/systemd",
  "/lib/systemd/system",
  "/usr/lib/systemd/system",
  "/etc/init.d",
  "/etc/profile.d",
  "/etc/xdg/autostart",
  "/library/launchagents",
  "/library/launchdaemons",
  "/etc/update-motd.d",
];
const PERSISTENCE_FILES = new Set(["/etc/crontab", "/etc/rc.local", "/etc/profile", "/etc/bash.bashrc", "/etc/zshrc", "/etc/environment"]);
/** Agent and editor configuration that starts programs by itself (hooks, tasks, MCP servers). */
const AGENT_CONFIG_SUFFIXES = [
  "/.claude/settings.json",
  "/.claude/settings.local.json",
  "/.mcp.json",
  "/.cursor/mcp.json",
  "/.vscode/tasks.json",
  "/.vscode/mcp.json",
];

/** What writing to `raw` makes run later, grant or hide; null when it is none of those. */
export function writeTargetOf(raw: string): PathHit | null {
  const p = canonicalPath(raw);
  const rel = homeRelative(p);
  // Privileges: who may sudo, which accounts and groups exist, how logins are checked, what every process preloads.
  if (p === "/etc/sudoers" || under(p, "/etc/sudoers.d") || p === "/etc/doas.conf")
    return { tag: "privilege", what: "decides who may run commands as root" };
  if (p === "/etc/passwd" || p === "/etc/shadow" || p === "/etc/group" || p === "/etc/gshadow")
    return { tag: "privilege", what: "defines the system's accounts and groups" };
  if (under(p, "/etc/pam.d") || under(p, "/etc/polkit-1") || under(p, "/etc/security"))
    return { tag: "privilege", what: "decides how logins and privilege checks work" };
  if (p === "/etc/ld.so.preload" || p === "/etc/ld.so.conf" || under(p, "/etc/ld.so.conf.d"))
    return { tag: "privilege", what: "loads a library into every program, including setuid ones" };
  // Persistence.
  if (p.endsWith("/.ssh/authorized_keys") || p.endsWith("/.ssh/authorized_keys2") || p.endsWith("/.config/ssh/authorized_keys"))
    return { tag: "persistence", what: "lets a key log in later" };
  if (rel !== null) {
    if (STARTUP_FILES.has(rel)) return { tag: "persistence", what: "runs at every shell start" };
    if (rel.startsWith(".config/autostart/") || rel.startsWith(".config/systemd/user/") || rel.startsWith("library/launchagents/"))
      return { tag: "persistence", what: "starts a program at login" };
  }
  if (PERSISTENCE_FILES.has(p) || PERSISTENCE_DIRS.some((d) => under(p, d)))
    return { tag: "persistence", what: "runs on a schedule, at boot or at login" };
  if (p.includes("/.git/hooks/") || p.startsWith(".git/hooks/")) return { tag: "persistence", what: "runs on git operations (a git hook)" };
  for (const s of AGENT_CONFIG_SUFFIXES) {
    if (p.endsWith(s) || `/${p}` === s) return { tag: "persistence", what: "starts programs when the agent or editor opens the project" };
  }
  // Evasion: history and logs.
  if (under(p, "/var/log") || p.endsWith("/.bash_history") || p.endsWith("/.zsh_history") || p.endsWith("/fish_history"))
    return { tag: "evasion", what: "holds the record of what was done (logs, shell history)" };
  return null;
}

/**
 * A mode that sets the setuid or setgid bit: octal with 4xxx/2xxx/6xxx, or
 * symbolic `u+s`, `g+s`, `+s`, `=s`.
 */
export function setsSetuid(mode: string): boolean {
  const m = mode.trim().toLowerCase();
  if (/^0?[0-7]{4}$/.test(m)) {
    const special = Number(m.length === 5 ? m[1] : m[0]);
    return (special & 6) !== 0;
  }
  if (/^[0-7]{1,3}$/.test(m)) return false;
  return /(?:^|,)[ugoa]*[+=][rwxXt]*s/.test(m);
}
