/**
 * Judgements about paths and hosts that appear in shell arguments: is this a
 * credential file, a path outside the workspace, a target too broad to delete
 * recursively, a block device? Plain string scanning, no regexes.
 */

/** `${HOME}` as shell writes it (kept out of a string literal that looks like a template). */
export const BRACED_HOME = ["$", "{HOME}"].join("");

/** Normalise `$HOME`/`${HOME}` to `~`, collapse `//`, drop `./` prefixes and trailing slashes. */
export function normPath(p: string): string {
  let s = p;
  if (s.startsWith(BRACED_HOME)) s = `~${s.slice(7)}`;
  else if (s.startsWith("$HOME")) s = `~${s.slice(5)}`;
  while (s.includes("//")) s = s.replaceAll("//", "/");
  while (s.startsWith("./") && s.length > 2) s = s.slice(2);
  while (s.length > 1 && s.endsWith("/")) s = s.slice(0, -1);
  if (s.endsWith("/.") && s.length > 2) s = s.slice(0, -2) || "/";
  return s;
}

const SCRATCH = ["/tmp", "/var/tmp", "/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/zero", "/dev/random", "/dev/urandom"];

function under(p: string, root: string): boolean {
  return p === root || p.startsWith(`${root}/`);
}

/** A scratch location writes to which are harmless (/tmp, /dev/null, /dev/fd/N). */
export function isScratch(p: string): boolean {
  const n = normPath(p);
  return SCRATCH.some((r) => under(n, r)) || n.startsWith("/dev/fd/") || n.startsWith("/proc/self/fd/");
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

const SECRET_SUBSTRINGS: [string, string][] = [
  [".ssh/", "SSH keys"],
  [".aws/credentials", "AWS credentials"],
  [".aws/config", "AWS configuration"],
  [".kube/config", "Kubernetes credentials"],
  [".docker/config.json", "Docker registry credentials"],
  ["/etc/shadow", "password hashes"],
  ["/etc/gshadow", "password hashes"],
  [".git-credentials", "git credentials"],
  [".netrc", "network credentials"],
  [".npmrc", "npm tokens"],
  [".pypirc", "PyPI tokens"],
  [".pgpass", "database passwords"],
  [".my.cnf", "database passwords"],
  [".gnupg/", "GPG keys"],
  [".vault-token", "a Vault token"],
  [".config/gcloud", "Google Cloud credentials"],
  [".azure/", "Azure credentials"],
  [".config/gh/hosts.yml", "GitHub tokens"],
  ["/run/secrets/", "mounted secrets"],
  ["id_rsa", "an SSH private key"],
  ["id_ed25519", "an SSH private key"],
  ["id_ecdsa", "an SSH private key"],
  ["credentials.json", "a credentials file"],
  [".terraform.d/credentials", "Terraform Cloud tokens"],
  [".tfstate", "Terraform state (secrets in plain text)"],
  [".cargo/credentials", "crates.io tokens"],
  [".gem/credentials", "RubyGems tokens"],
  [".m2/settings.xml", "Maven repository passwords"],
  [".gradle/gradle.properties", "Gradle repository credentials"],
  [".s3cfg", "S3 credentials"],
  [".config/rclone/rclone.conf", "rclone remote credentials"],
  [".config/helm/registry", "Helm registry credentials"],
  [".helm/repository/repositories.yaml", "Helm repository credentials"],
  [".circleci/cli.yml", "a CircleCI token"],
  [".travis/config.y", "a Travis CI token"],
  [".config/hub", "GitHub tokens"],
  [".cache/huggingface/token", "a Hugging Face token"],
  [".huggingface/token", "a Hugging Face token"],
  [".config/replicate", "a Replicate token"],
  [".config/openai", "OpenAI credentials"],
  [".anthropic/", "Anthropic credentials"],
  [".config/age/keys.txt", "age private keys"],
  [".age/key", "age private keys"],
  [".password-store", "pass password store"],
  [".kdbx", "a KeePass database"],
  [".keytab", "a Kerberos keytab"],
  ["/krb5cc_", "a Kerberos ticket cache"],
  ["/etc/ipsec.secrets", "IPsec secrets"],
  ["/etc/wireguard/", "WireGuard private keys"],
  ["/etc/networkmanager/system-connections/", "saved Wi-Fi and VPN passwords"],
  ["/etc/master.passwd", "password hashes"],
  ["/etc/security/opasswd", "old password hashes"],
  ["logins.json", "browser saved passwords"],
  ["key4.db", "browser password keys"],
  ["/login data", "browser saved passwords"],
  ["/cookies", "browser session cookies"],
  ["login.keychain", "the macOS keychain"],
  [".bash_history", "shell history (often holds pasted tokens)"],
  [".zsh_history", "shell history (often holds pasted tokens)"],
  [".psql_history", "SQL history"],
  [".mysql_history", "SQL history"],
  ["/proc/kcore", "kernel memory"],
  ["/dev/mem", "physical memory"],
  ["/dev/kmem", "kernel memory"],
];

const CREDENTIAL_DIRS = /(?:^|\/)\.(ssh|aws|kube|docker|anthropic)$/;
const CREDENTIAL_DIR_WHAT: Record<string, string> = {
  ssh: "SSH keys",
  aws: "AWS credentials",
  kube: "Kubernetes credentials",
  docker: "Docker registry credentials",
  anthropic: "Anthropic credentials",
};

/** When the argument refers to a credential file, what kind; otherwise null. */
export function secretOf(arg: string): SecretHit | null {
  if (arg.length > 4096) return null;
  const a = arg.toLowerCase();
  // A pattern that leaves files out (`rsync --exclude=*.kdbx`) reads nothing.
  if (a.startsWith("--exclude") || a.startsWith("--ignore")) return null;
  // Public keys and host fingerprints are not secrets.
  if (a.endsWith(".pub") || a.endsWith("known_hosts")) return null;
  // The ssh client's settings and example or template files hold no credential.
  if (a.endsWith(".ssh/config") || (!a.includes("://") && /\.(example|sample|template)$/.test(a))) return null;
  for (const [needle, what] of SECRET_SUBSTRINGS) {
    if (a.includes(needle)) return { path: arg, what };
  }
  if (a.endsWith("/.ssh") || a === ".ssh" || a === "~/.ssh") return { path: arg, what: "SSH keys" };
  // The credential directories as a whole (`tar czf x.tgz ~/.aws/`).
  const dir = CREDENTIAL_DIRS.exec(normPath(a));
  if (dir?.[1]) return { path: arg, what: CREDENTIAL_DIR_WHAT[dir[1]] ?? "credentials" };
  if (a.startsWith("/proc/") && a.endsWith("/environ")) return { path: arg, what: "a process environment" };
  if (/^\/proc\/\d+\/(fd\/\d|root\/|mem$|cwd\/)/.test(a)) return { path: arg, what: "another process's files or memory" };
  if (a.endsWith("/run/secrets")) return { path: arg, what: "mounted secrets" };
  // `.env` files: the last path component, after any `@`, `=` or `:` prefix (curl -d @.env, --env-file=.env).
  let base = a;
  for (const sep of ["/", "=", "@", ":"]) {
    const k = base.lastIndexOf(sep);
    if (k >= 0) base = base.slice(k + 1);
  }
  if (base === ".env" || base === ".envrc" || (base.startsWith(".env.") && !/^\.env\.(example|sample|template|dist)$/.test(base)))
    return { path: arg, what: "environment secrets (.env)" };
  // Saved OAuth tokens, and a tool's tokens.json in its hidden state directory (design tokens in a project are not).
  if (/^oauth[_-]?tokens?\.json$/.test(base) || (/^tokens?\.json$/.test(base) && /(^|\/)\.[^./][^/]*\//.test(a)))
    return { path: arg, what: "saved access tokens" };
  return null;
}

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
  for (const c of ["/", "?", "#"]) {
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
  for (const c of s) {
    const ok = (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c === "." || c === "-" || c === "_" || c === ":";
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
