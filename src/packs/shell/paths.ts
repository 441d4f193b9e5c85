/**
 * Judgements about paths and hosts that appear in shell arguments: is this a
 * credential file, a path outside the workspace, a target too broad to delete
 * recursively, a block device? Plain string scanning, no regexes.
 */

import { BRACED_HOME, credentialMentionOf, normPath } from "../credentials";

export { BRACED_HOME, normPath };

const SCRATCH = [
  "/tmp",
  "/var/tmp",
  "/private/tmp",
  "/private/var/tmp",
  "/dev/null",
  "/dev/stdout",
  "/dev/stderr",
  "/dev/tty",
  "/dev/zero",
  "/dev/random",
  "/dev/urandom",
];

/** macOS per-user temporary directories (`$TMPDIR` is /var/folders/xx/yyyy/T/): what lies under T/ is scratch. */
function underMacTemp(n: string): boolean {
  const rest = n.startsWith("/private/var/folders/") ? n.slice(21) : n.startsWith("/var/folders/") ? n.slice(13) : null;
  if (rest === null) return false;
  const parts = rest.split("/");
  return parts.length >= 4 && parts[2] === "T" && parts[0] !== "" && parts[1] !== "" && !parts.includes("..") && parts[3] !== "";
}

function under(p: string, root: string): boolean {
  // `p.startsWith(`${root}/`)` without building the string.
  return p === root || (p.startsWith(root) && p.charCodeAt(root.length) === 47);
}

/** A scratch location writes to which are harmless (/tmp, /dev/null, /dev/fd/N). */
export function isScratch(p: string): boolean {
  const n = normPath(p);
  // Every scratch location is absolute (most paths are relative).
  if (!n.startsWith("/")) return false;
  // `/tmp/../etc/passwd` is not under /tmp.
  if (n.includes("/../") || n.endsWith("/..")) return false;
  for (const r of SCRATCH) if (under(n, r)) return true;
  return n.startsWith("/dev/fd/") || n.startsWith("/proc/self/fd/") || underMacTemp(n);
}

/**
 * A directory anyone can fill, or one that depends on where the command runs:
 * scratch space (/tmp, /var/tmp, /dev/shm, /private/tmp) or a relative path.
 * Search-path variables and plugin flags pointing there load code of the
 * caller's choosing.
 */
export function isScratchOrRelative(dir: string): boolean {
  const s = dir.replace(/^['"]|['"]$/g, "");
  return isScratch(s) || s.startsWith("/dev/shm") || s.startsWith("/private/tmp") || s === "." || s.startsWith("./") || s.startsWith("../");
}

/** Absolute, home-relative or parent-relative: outside the working directory. */
export function isOutsideWorkspace(p: string): boolean {
  const n = normPath(p);
  if (isScratch(n)) return false;
  return n.startsWith("/") || n.startsWith("~") || n === ".." || n.startsWith("../");
}

/** A block device or raw disk (`/dev/sda`, `/dev/nvme0n1`), not /dev/null and friends. */
export function isDevice(p: string): boolean {
  const n = normPath(p);
  // /dev/shm and /dev/mqueue are memory filesystems, not disks (a write there is still outside the workspace).
  if (n === "/dev/shm" || n.startsWith("/dev/shm/") || n.startsWith("/dev/mqueue/")) return false;
  return n.startsWith("/dev/") && !isScratch(n) && !n.startsWith("/dev/tcp/") && !n.startsWith("/dev/udp/");
}

const IMPORTANT_EXACT = new Set([
  "/etc/passwd",
  "/etc/shadow",
  "/etc/group",
  "/etc/gshadow",
  "/etc/sudoers",
  "/etc/hosts",
  "/etc/fstab",
  "/etc/resolv.conf",
  "/etc/crontab",
  "/etc/profile",
  "/etc/bash.bashrc",
  "/etc/environment",
  "~/.bashrc",
  "~/.bash_profile",
  "~/.profile",
  "~/.zshrc",
  "~/.zprofile",
  "~/.zshenv",
  "~/.gitconfig",
  "~/.kube/config",
  "~/.docker/config.json",
  "~/.netrc",
]);

const IMPORTANT_DIRS = ["/etc/sudoers.d", "/etc/ssh", "/etc/pam.d", "/etc/systemd", "/boot", "~/.ssh", "~/.aws", "~/.gnupg", "/root/.ssh"];

/** A file whose loss or corruption breaks the machine or a login: /etc/passwd, ~/.bashrc, ~/.ssh/*, disks. */
export function isImportantFile(p: string): boolean {
  const n = normPath(p);
  if (IMPORTANT_EXACT.has(n)) return true;
  if (IMPORTANT_DIRS.some((d) => under(n, d))) return true;
  return isDevice(n);
}

const SYSTEM_ROOTS = [
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/usr",
  "/etc",
  "/boot",
  "/sys",
  "/proc",
  "/dev",
  "/var",
  "/opt",
  "/root",
  "/home",
  "/Users",
  "/System",
  "/Library",
  "/Applications",
  "/srv",
  "/mnt",
  "/media",
  "/snap",
  "/private",
];

/**
 * Too broad to remove recursively: the root, a top-level system directory, a
 * home directory or a first-level entry of it, the parent directory, a bare
 * `*` or `.`, or a path that starts with a variable (which may be empty).
 * `./build`, `node_modules`, `dist/` are not broad.
 */
export function broadReason(raw: string): string | null {
  const n = normPath(raw);
  if (n === "" || n === "/") return "the root";
  if (n.startsWith("$")) return `a path that starts with the variable ${raw}, which may expand to anything (even empty, leaving /)`;
  if (n === "*" || n === ".*" || n === "." || n === "*/") return "everything in the working directory";
  if (n === ".." || n.startsWith("../")) return "a path above the working directory";
  if (n === "~" || n.startsWith("~/") || (n.startsWith("~") && !n.includes("/"))) {
    const rest = n.startsWith("~/") ? n.slice(2) : "";
    if (rest === "" || rest === "*" || !rest.includes("/")) return "the home directory or a top-level entry of it";
    return null;
  }
  if (n.startsWith("/")) {
    if (under(n, "/tmp") || under(n, "/var/tmp")) return n === "/tmp" || n === "/var/tmp" || n === "/tmp/*" ? "all of /tmp" : null;
    const segs = n.slice(1).split("/");
    if (segs.length === 1) return `the top-level directory ${n}`;
    if (segs.some((s) => s === "*") && segs.length <= 2) return `everything under ${segs[0] === "*" ? "/" : `/${segs[0]}`}`;
    const top = `/${segs[0] ?? ""}`;
    if (
      SYSTEM_ROOTS.includes(top) &&
      (segs.length <= 2 || ["/usr", "/etc", "/boot", "/bin", "/sbin", "/lib", "/lib64", "/System"].includes(top))
    )
      return `the system directory ${n}`;
  }
  return null;
}

export interface SecretHit {
  path: string;
  what: string;
}

/**
 * When the argument refers to a credential file, what kind; otherwise null.
 * The judgement is shared with the MCP pack (src/packs/credentials.ts), so
 * `cat X` and `read_file {path: X}` agree.
 */
export function secretOf(arg: string): SecretHit | null {
  const what = credentialMentionOf(arg);
  return what ? { path: arg, what } : null;
}

const HOST_ENDS = ["/", "?", "#"];

/**
 * The host in a URL (`https://user@host:443/x`), an scp/rsync target
 * (`user@host:path`) or an ssh target (`user@host`); null when none.
 */
export function hostOf(arg: string, allowBare: boolean): string | null {
  let s = arg;
  const scheme = s.indexOf("://");
  if (scheme > 0) {
    s = s.slice(scheme + 3);
  } else if (!allowBare) {
    return null;
  }
  let end = s.length;
  for (const c of HOST_ENDS) {
    const k = s.indexOf(c);
    if (k >= 0 && k < end) end = k;
  }
  s = s.slice(0, end);
  const at = s.lastIndexOf("@");
  if (at >= 0) s = s.slice(at + 1);
  if (s.startsWith("[")) {
    const close = s.indexOf("]");
    s = close > 0 ? s.slice(1, close) : s.slice(1);
  } else {
    const colon = s.indexOf(":");
    if (colon >= 0) s = s.slice(0, colon);
  }
  s = s.toLowerCase();
  if (s === "" || s.startsWith("-") || s.startsWith("$") || s.length > 253) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i); // a-z 0-9 . - _ :
    const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 95 || c === 58;
    if (!ok) return null;
  }
  return s;
}

/** The host of an scp/rsync remote operand (`host:path`, `user@host:path`, `rsync://host/x`). */
export function remoteHostOf(arg: string): string | null {
  if (arg.includes("://")) return hostOf(arg, false);
  const colon = arg.indexOf(":");
  const slash = arg.indexOf("/");
  if (colon <= 0 || (slash >= 0 && slash < colon)) return null;
  return hostOf(arg.slice(0, colon), true);
}

/** The basename of a command path (`/usr/bin/rm` → `rm`). */
export function baseName(p: string): string {
  const k = p.lastIndexOf("/");
  return k >= 0 ? p.slice(k + 1) : p;
}

/** One absolute path to a shared library in the system's library directories (`/usr/lib/x86_64-linux-gnu/libasan.so.8`). */
const SYSTEM_LIBRARY = /^\/(?:usr\/)?lib(?:32|64|x32)?\/(?:[A-Za-z0-9_+-][A-Za-z0-9._+-]*\/)*lib[A-Za-z0-9._+-]*\.so(?:\.[0-9]+)*$/;

/**
 * `LD_PRELOAD=/usr/lib/libasan.so.5`: every entry is a library the system's package manager installed,
 * named by absolute path (no `..`, no expansion, no bare name that the loader would look up
 * through a search path the caller may have changed). Preloading it runs no code of the caller's choosing.
 */
export function systemLibrariesOnly(value: string): boolean {
  const entries = value.split(/[:\s]+/).filter((e) => e !== "");
  return (
    entries.length > 0 && entries.length <= 8 && entries.every((e) => SYSTEM_LIBRARY.test(e) && !e.includes("/../") && !e.includes("/./"))
  );
}
