/**
 * Persistence: writes and commands that make something run later or survive
 * the session — shell start-up files, cron and at jobs, systemd and launchd
 * units, git hooks, authorized_keys, agent and editor configuration that is
 * read or run on its own. Plain string checks over a normalised path; the
 * tables are built once.
 */
import { normPath } from "./paths";

/** `p` is `root` or below it (compared in place: it runs for every table entry, and builds no `root + "/"`). */
function under(p: string, root: string): boolean {
  return p.startsWith(root) && (p.length === root.length || p.charCodeAt(root.length) === 47);
}

function lastSeg(p: string): string {
  const k = p.lastIndexOf("/");
  return k >= 0 ? p.slice(k + 1) : p;
}

/** `~/x`, `/root/x`, `/home/u/x`, `/Users/u/x` → `x` (the path inside a home directory), else null. */
function inHome(n: string): string | null {
  if (n.startsWith("~/")) return n.slice(2);
  if (n.startsWith("/root/")) return n.slice(6);
  for (const h of ["/home/", "/Users/"]) {
    if (n.startsWith(h)) {
      const rest = n.slice(h.length);
      const k = rest.indexOf("/");
      return k > 0 ? rest.slice(k + 1) : null;
    }
  }
  return null;
}

/** Start-up files a shell reads (and runs) at every login or new shell, relative to a home directory. */
const HOME_STARTUP = new Set([
  ".bashrc",
  ".bash_profile",
  ".bash_login",
  ".bash_logout",
  ".bash_aliases",
  ".profile",
  ".zshrc",
  ".zprofile",
  ".zshenv",
  ".zlogin",
  ".zlogout",
  ".kshrc",
  ".mkshrc",
  ".cshrc",
  ".tcshrc",
  ".login",
  ".inputrc",
  ".config/fish/config.fish",
  ".ssh/rc",
  ".xprofile",
  ".xinitrc",
  ".xsession",
]);

/** System-wide files and directories whose contents run at login, boot, on a schedule or in every program. */
const SYSTEM_FILES = new Set([
  "/etc/profile",
  "/etc/bash.bashrc",
  "/etc/bashrc",
  "/etc/zshrc",
  "/etc/zprofile",
  "/etc/zshenv",
  "/etc/zlogin",
  "/etc/csh.cshrc",
  "/etc/csh.login",
  "/etc/environment",
  "/etc/crontab",
  "/etc/anacrontab",
  "/etc/rc.local",
  "/etc/ld.so.preload",
  "/etc/ld.so.conf",
  "/etc/inputrc",
  "/etc/ssh/sshrc",
]);

const SYSTEM_DIRS: [string, string][] = [
  ["/etc/profile.d", "a login script"],
  ["/etc/zsh", "a shell start-up file"],
  ["/etc/fish/conf.d", "a shell start-up file"],
  ["/etc/cron.d", "a cron job"],
  ["/etc/cron.hourly", "a cron job"],
  ["/etc/cron.daily", "a cron job"],
  ["/etc/cron.weekly", "a cron job"],
  ["/etc/cron.monthly", "a cron job"],
  ["/var/spool/cron", "a cron job"],
  ["/var/spool/at", "an at job"],
  ["/etc/systemd/system", "a systemd unit"],
  ["/etc/systemd/user", "a systemd unit"],
  ["/lib/systemd/system", "a systemd unit"],
  ["/usr/lib/systemd/system", "a systemd unit"],
  ["/usr/lib/systemd/user", "a systemd unit"],
  ["/run/systemd/system", "a systemd unit"],
  ["/etc/init.d", "a boot script"],
  ["/etc/init", "a boot job"],
  ["/etc/rc0.d", "a boot script"],
  ["/etc/rc1.d", "a boot script"],
  ["/etc/rc2.d", "a boot script"],
  ["/etc/rc3.d", "a boot script"],
  ["/etc/rc4.d", "a boot script"],
  ["/etc/rc5.d", "a boot script"],
  ["/etc/rc6.d", "a boot script"],
  ["/etc/update-motd.d", "a login script"],
  ["/etc/xdg/autostart", "a desktop autostart entry"],
  ["/etc/ld.so.conf.d", "the library search path of every program"],
  ["/etc/udev/rules.d", "a udev rule (runs programs when devices appear)"],
  ["/etc/apt/apt.conf.d", "an apt hook (runs on every package operation)"],
  ["/Library/LaunchAgents", "a launchd job"],
  ["/Library/LaunchDaemons", "a launchd job"],
  ["/System/Library/LaunchAgents", "a launchd job"],
  ["/System/Library/LaunchDaemons", "a launchd job"],
];

const HOME_DIRS: [string, string][] = [
  [".config/systemd", "a systemd unit"],
  [".config/autostart", "a desktop autostart entry"],
  [".config/fish/conf.d", "a shell start-up file"],
  [".config/fish/functions", "a shell function loaded by every new shell"],
  ["Library/LaunchAgents", "a launchd job"],
  [".oh-my-zsh/custom", "a shell start-up file"],
];

/**
 * Files an AI coding agent reads as standing instructions, or that name
 * programs or hooks the agent or editor runs by itself (compared lower-case, by
 * last path component).
 */
const AGENT_FILES = new Set([
  "claude.md",
  "claude.local.md",
  "agents.md",
  "agent.md",
  "gemini.md",
  "codex.md",
  "copilot-instructions.md",
  ".cursorrules",
  ".windsurfrules",
  ".clinerules",
  ".roorules",
  ".goosehints",
  ".aider.conf.yml",
  ".continuerc.json",
  ".mcp.json",
  "mcp.json",
  "mcp_config.json",
  "mcp_settings.json",
  "claude_desktop_config.json",
  "tasks.json",
]);

/** Directories of agent configuration (rules, settings, hooks, memory): any file below them. */
const AGENT_DIRS = [
  ".claude",
  ".cursor",
  ".windsurf",
  ".clinerules",
  ".continue",
  ".roo",
  ".codex",
  ".gemini",
  ".aider",
  ".github/instructions",
  ".github/prompts",
  ".amazonq/rules",
];

/** `.vscode/tasks.json` runs on folder open; a bare `tasks.json` elsewhere is just a file. */
function agentConfig(n: string): string | null {
  const lower = n.toLowerCase();
  const base = lastSeg(lower);
  if (AGENT_FILES.has(base)) {
    if (base === "tasks.json")
      return lower.endsWith(".vscode/tasks.json") ? "an editor task (VS Code runs it on its own, e.g. on folder open)" : null;
    return "agent instructions or configuration, which the agent follows or runs in later sessions";
  }
  for (const d of AGENT_DIRS) {
    // Each form below holds `d`: most paths are out without building them.
    if (!lower.includes(d)) continue;
    if (lower === d || lower.startsWith(`${d}/`) || lower.includes(`/${d}/`) || lower.endsWith(`/${d}`))
      return "agent configuration (rules, settings, hooks or memory), which the agent follows or runs in later sessions";
  }
  return null;
}

/**
 * When writing `path` makes something run later (at login, on a schedule, at
 * boot, in a git operation, in the agent's next session), what; otherwise null.
 */
export function persistentTarget(path: string): string | null {
  if (path.length > 4096) return null;
  const n = normPath(path);
  const base = lastSeg(n);
  // Git hooks: .git/hooks/<name> (not the shipped *.sample files) and husky's hook directory.
  if ((n.includes(".git/hooks/") || n.startsWith(".husky/") || n.includes("/.husky/")) && !base.endsWith(".sample"))
    return "a git hook, which runs on every commit, push, merge or checkout";
  if (n.endsWith(".git/hooks") || n === ".husky") return "the git hooks directory";
  if (base === "authorized_keys" || base === "authorized_keys2") return "authorized_keys, which lets a key log in later";
  if (SYSTEM_FILES.has(n)) return `${n}, which runs or is loaded at every login, boot or program start`;
  for (let i = 0; i < SYSTEM_DIRS.length; i++) {
    const e = SYSTEM_DIRS[i] as readonly [string, string];
    if (under(n, e[0])) return e[1];
  }
  const h = inHome(n) ?? (n.includes("/") ? null : n);
  if (h !== null) {
    if (HOME_STARTUP.has(h)) return `the shell start-up file ${h}, which runs in every new shell`;
    // ssh reads these on every connection: ProxyCommand, LocalCommand, Match exec run commands; ~/.ssh/rc runs at login.
    if (h === ".ssh/config" || h === ".ssh/rc" || h === ".config/ssh/config")
      return `${h}, whose ProxyCommand, LocalCommand or login commands ssh runs on every connection`;
    for (let i = 0; i < HOME_DIRS.length; i++) {
      const e = HOME_DIRS[i] as readonly [string, string];
      if (under(h, e[0])) return e[1];
    }
  }
  if (base === "sitecustomize.py" || base === "usercustomize.py") return `${base}, which Python runs at every start`;
  if (base.endsWith(".pth") && (n.includes("site-packages/") || n.includes("dist-packages/")))
    return "a .pth file, which Python runs at every start";
  return agentConfig(n);
}

/** CI pipeline definitions: changing one changes what the build runs (supply chain). */
export function pipelineFile(path: string): string | null {
  if (path.length > 4096) return null;
  const n = normPath(path);
  const lower = n.toLowerCase();
  const base = lastSeg(lower);
  const yaml = base.endsWith(".yml") || base.endsWith(".yaml");
  if (yaml && (lower.startsWith(".github/workflows/") || lower.includes("/.github/workflows/"))) return "a GitHub Actions workflow";
  if (yaml && (lower.startsWith(".github/actions/") || lower.includes("/.github/actions/"))) return "a GitHub Actions action";
  if (base === ".gitlab-ci.yml") return "the GitLab CI pipeline";
  if (base === "jenkinsfile") return "the Jenkins pipeline";
  if (yaml && (lower.startsWith(".circleci/") || lower.includes("/.circleci/"))) return "the CircleCI pipeline";
  if (base === "azure-pipelines.yml" || base === "azure-pipelines.yaml") return "the Azure pipeline";
  if (base === ".travis.yml" || base === "bitbucket-pipelines.yml" || base === ".drone.yml" || base === "cloudbuild.yaml")
    return "the CI pipeline";
  if (yaml && (lower.startsWith(".buildkite/") || lower.includes("/.buildkite/"))) return "the Buildkite pipeline";
  return null;
}
