/**
 * What a file path handed to an MCP file tool means: the credential it holds
 * (the judgement shared with the shell pack, src/packs/credentials.ts),
 * sockets that hand out root, and the places a write makes something run
 * later (persistence), grants privileges, or hides traces. Plain string work
 * on a normalised, lower-cased path; no per-call regex compilation.
 */
import { canonicalPath, credentialFileOf, homeRelative, resolveDots } from "../credentials";

export { canonicalPath, homeRelative, resolveDots };

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

/** The credential a path refers to, or null (the same judgement as the shell pack's `cat X`). */
export function credentialOf(raw: string): string | null {
  return credentialFileOf(raw);
}

/** A path that gives privileges to whoever opens it (container runtime sockets), or null. */
export function privilegedFileOf(raw: string): string | null {
  return privilegedFileAt(canonicalPath(raw));
}

/** {@link privilegedFileOf} of a path already made canonical. */
export function privilegedFileAt(p: string): string | null {
  for (const [file, what] of PRIVILEGED_FILES) if (p === file) return what;
  return null;
}

function under(p: string, dir: string): boolean {
  return p === dir || (p.startsWith(dir) && p.charCodeAt(dir.length) === 47);
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
  return writeTargetAt(canonicalPath(raw));
}

/** {@link writeTargetOf} of a path already made canonical. */
export function writeTargetAt(p: string): PathHit | null {
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
  if (AGENT_CONFIG_SUFFIXES.some((s) => p.endsWith(s)) || AGENT_CONFIG_SUFFIXES.includes(`/${p}`))
    return { tag: "persistence", what: "starts programs when the agent or editor opens the project" };
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
