/**
 * Credential files and directories: the one judgement behind the shell pack's
 * `secretOf` (`cat X`, X in any argument) and the MCP pack's `credentialOf`
 * (`read_file {path: X}`), so both reach the same verdict on the same path.
 *
 * Two entry points:
 * - `credentialFileOf(path)`: `path` names a file or directory. Known
 *   credential files and stores (by location and by name), tool directories
 *   whose files are logins and tokens, key and password-database formats.
 * - `credentialMentionOf(text)`: a shell word or a piece of code that may name
 *   such a file somewhere inside it; a table of distinctive substrings, plus
 *   the full file judgement when the word is itself a path.
 *
 * Public material is not a credential: public keys, known_hosts, the ssh
 * client's settings, authorized_keys, certificates, example files.
 * Plain string work on a normalised, lower-cased path; no per-call regex
 * compilation.
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

/**
 * Whether `p` has a segment that resolveDots drops or folds: an empty one (`//`, a trailing `/`, the
 * whole path empty), `.` or `..`. A leading `/` is not a segment.
 */
function hasDotOrEmptySegment(p: string): boolean {
  let start = p.charCodeAt(0) === 47 ? 1 : 0;
  for (let i = start; i <= p.length; i++) {
    if (i < p.length && p.charCodeAt(i) !== 47) continue;
    const len = i - start;
    // Empty, `.` or `..` (character codes: 46 is `.`, 47 is `/`).
    if (len === 0 || (p.charCodeAt(start) === 46 && (len === 1 || (len === 2 && p.charCodeAt(start + 1) === 46)))) return true;
    start = i + 1;
  }
  return false;
}

/** Collapse `a/b/../c` and `/./` so `/tmp/../../home/u/.ssh` reads as `/home/u/.ssh`. */
export function resolveDots(p: string): string {
  // Most paths (`~/.ssh/id_rsa`) have nothing to collapse: splitting and joining them gives `p` back.
  if (!hasDotOrEmptySegment(p)) return p;
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

const DRIVE = /^[a-z]:\//i;

/** The path as these checks read it: `$HOME` as `~`, `C:\Users\x` as `/users/x`, dots resolved, lower case. */
export function canonicalPath(raw: string): string {
  let s = raw.trim();
  if (s.includes("\\")) s = s.replaceAll("\\", "/");
  if (s.length > 2 && s[1] === ":" && DRIVE.test(s)) s = s.slice(2);
  s = normPath(s);
  if (!s.includes("/.")) return s.toLowerCase();
  return resolveDots(s).toLowerCase() || s.toLowerCase();
}

const HOME_BASES = ["/home/", "/users/"];

/** A home directory prefix: `~/`, `/home/<u>/`, `/users/<u>/`, `/root/`; returns what follows it, or null. */
export function homeRelative(p: string): string | null {
  if (p.startsWith("~/")) return p.slice(2);
  if (p === "~") return "";
  if (p.startsWith("/root/")) return p.slice(6);
  for (const base of HOME_BASES) {
    if (p.startsWith(base)) {
      const slash = p.indexOf("/", base.length);
      return slash > 0 ? p.slice(slash + 1) : null;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Per-action memo. Both judgements are pure functions of the text, and one
// action asks about the same word several times (each shell module that reads
// files asks about its operands; nested commands ask again), so the answers
// are kept for the action being classified and dropped when the next begins.

/**
 * The last answers, in arrays searched from the start: one action asks a handful of distinct
 * questions, so a short scan beats hashing each word, and forgetting is setting a count to 0
 * (nothing allocated per action, as clearing a Map would).
 */
class Memo {
  private readonly keys: string[] = [];
  private readonly answers: (string | null)[] = [];
  private count = 0;

  get(key: string): string | null | undefined {
    for (let i = 0; i < this.count; i++) if (this.keys[i] === key) return this.answers[i];
    return undefined;
  }

  set(key: string, what: string | null): void {
    // A bound on the search and on memory, whatever the caller: past it the memo starts again.
    if (this.count >= MEMO_LIMIT) this.count = 0;
    this.keys[this.count] = key;
    this.answers[this.count] = what;
    this.count++;
  }

  forget(): void {
    this.count = 0;
  }
}

/** Answers kept per action before the memo starts again. */
const MEMO_LIMIT = 32;
const mentionMemo = new Memo();
const fileMemo = new Memo();

/**
 * Forget the answers kept for the previous action. Each pack that asks these
 * questions calls this when it starts on an action, so the memo only ever
 * saves repeated work within one classification.
 */
export function newCredentialAction(): void {
  mentionMemo.forget();
  fileMemo.forget();
}

// ---------------------------------------------------------------------------
// Mentions: distinctive substrings, safe to look for inside any word or code.

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
  [".mylogin.cnf", "database passwords"],
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
  [".m2/settings-security.xml", "the Maven master password"],
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
  [".config/age/keys.txt", "age private keys"],
  [".config/sops/age/keys.txt", "age private keys (SOPS)"],
  [".age/key", "age private keys"],
  [".password-store", "pass password store"],
  [".kdbx", "a KeePass database"],
  [".keytab", "a Kerberos keytab"],
  ["/krb5cc_", "a Kerberos ticket cache"],
  ["/etc/ipsec.secrets", "IPsec secrets"],
  ["/etc/wireguard/", "WireGuard private keys"],
  ["/etc/master.passwd", "password hashes"],
  ["/etc/security/opasswd", "old password hashes"],
  ["logins.json", "browser saved passwords"],
  ["key4.db", "browser password keys"],
  ["key3.db", "browser password keys"],
  ["/login data", "browser saved passwords"],
  ["login.keychain", "the macOS keychain"],
  [".bash_history", "shell history (often holds pasted tokens)"],
  [".zsh_history", "shell history (often holds pasted tokens)"],
  [".psql_history", "SQL history"],
  [".mysql_history", "SQL history"],
  ["/proc/kcore", "kernel memory"],
  ["/dev/mem", "physical memory"],
  ["/dev/kmem", "kernel memory"],
];

type Trie = Map<string, Trie>;

/**
 * A regex source that matches wherever any of `words` occurs, as a trie (`\.(?:ssh\/|aws\/c(?:redentials|onfig)|...)`):
 * words share their prefixes, so at each position the engine follows one branch where a flat `a|b|c` tries
 * every word. A word that extends a shorter one is left out: the shorter occurs wherever it does.
 */
function anyOfSource(words: readonly string[]): string {
  const root: Trie = new Map();
  for (const w of words) {
    let node = root;
    for (let i = 0; i < w.length; i++) {
      const ch = w[i] as string;
      let next = node.get(ch);
      if (!next) {
        next = new Map();
        node.set(ch, next);
      }
      node = next;
    }
    node.set("", new Map());
  }
  const emit = (node: Trie): string => {
    if (node.has("")) return "";
    const alts: string[] = [];
    for (const [ch, next] of node) alts.push(ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") + emit(next));
    return alts.length === 1 ? (alts[0] as string) : `(?:${alts.join("|")})`;
  };
  return emit(root);
}

/** One pass over the word before the table's: does any of its substrings occur at all? */
const ANY_SECRET_SUBSTRING = new RegExp(anyOfSource(SECRET_SUBSTRINGS.map(([n]) => n)));

const EXAMPLE_SUFFIX = /\.(example|sample|template)$/;
const ENV_EXAMPLE = /^\.env\.(example|sample|template|dist)$/;
const PROC_PID = /^\/proc\/\d+\/(fd\/\d|root\/|mem$|cwd\/)/;

/** Public material: public keys, host fingerprints, the ssh client's settings, authorized keys, certificates. */
export function isPublicMaterial(a: string): boolean {
  // By the last letter, which each ending below has: most words are out after one comparison.
  switch (a.charCodeAt(a.length - 1)) {
    case 98: // b
      return a.endsWith(".pub");
    case 115: // s
      return a.endsWith("known_hosts") || a.endsWith("/authorized_keys") || a === "authorized_keys";
    case 100: // d
      return a.endsWith("known_hosts.old");
    case 103: // g
      return a.endsWith(".ssh/config");
    case 50: // 2
      return a.endsWith("/authorized_keys2");
    case 116: // t
      return a.endsWith(".crt");
    case 114: // r
      return a.endsWith(".cer") || a.endsWith(".csr");
    default:
      return false;
  }
}

/** The substring table and the special locations, on a lower-cased word; null when none matches. */
function mentionTable(a: string): string | null {
  // A pattern that leaves files out (`rsync --exclude=*.kdbx`) reads nothing.
  if (a.startsWith("--exclude") || a.startsWith("--ignore")) return null;
  if (isPublicMaterial(a)) return null;
  // Example or template files hold no credential (each of those endings ends in `e`).
  if (a.charCodeAt(a.length - 1) === 101 && !a.includes("://") && EXAMPLE_SUFFIX.test(a)) return null;
  // Every entry of the table holds a `.` or a `/`, or starts with `id_`: a word with none of them is out without the regex.
  if ((a.includes(".") || a.includes("/") || a.includes("id_")) && ANY_SECRET_SUBSTRING.test(a)) {
    for (let i = 0; i < SECRET_SUBSTRINGS.length; i++) {
      const e = SECRET_SUBSTRINGS[i] as [string, string];
      if (a.includes(e[0])) return e[1];
    }
  }
  if (a.endsWith("/.ssh") || a === ".ssh" || a === "~/.ssh") return "SSH keys";
  // PROC_PID starts with `/proc/` too.
  if (a.startsWith("/proc/")) {
    if (a.endsWith("/environ")) return "a process environment";
    if (PROC_PID.test(a)) return "another process's files or memory";
  }
  if (a.endsWith("/run/secrets")) return "mounted secrets";
  // `.env` files: the last path component, after any `@`, `=` or `:` prefix (curl -d @.env, --env-file=.env).
  let cut = a.length - 1;
  while (cut >= 0) {
    const c = a.charCodeAt(cut); // / = @ :
    if (c === 47 || c === 61 || c === 64 || c === 58) break;
    cut--;
  }
  // Each name below starts with `.env`.
  if (!a.startsWith(".env", cut + 1)) return null;
  const base = a.slice(cut + 1);
  if (base === ".env" || base === ".envrc" || (base.startsWith(".env.") && !ENV_EXAMPLE.test(base))) return "environment secrets (.env)";
  return null;
}

/**
 * Whether `text` can name a credential at all: every entry of the table, every
 * special location and every path the file judgement reads holds a `.` or a `/`,
 * except the `id_*` key names. Most words (`-la`, `install`, a variable name in
 * code) hold none, and are out after one pass over their characters.
 */
function mayName(text: string): boolean {
  let underscore = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 47) return true; // . /
    if (c === 95) underscore = true;
  }
  return underscore && text.toLowerCase().includes("id_");
}

const BRACED_HOME_DIR = `${BRACED_HOME}/`;

/** The file a word names, when it is one path: after `--opt=` or `name=`, and a curl-style `@`. No spaces, no URL. */
function pathInWord(w: string): string | null {
  if (w.length === 0 || w.length > 1024) return null;
  // A path may hold spaces (`~/Library/Application Support/...`) when it starts like one; a message does not.
  const rooted = w.startsWith("/") || w.startsWith("~") || w.startsWith("$HOME/") || w.startsWith(BRACED_HOME_DIR);
  // One pass, where includes, indexOf and lastIndexOf made four: the last `=`, and no URL (`://`), no `$`
  // but a leading one (`$HOME/x`), no glob (`find -name '*.key'` is a pattern, not a file read; readers
  // judge their operands themselves).
  let eq = -1;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i); // = : / $, then space, tab, newline, backquote, ( ; * ?
    if (c === 61) eq = i;
    else if ((c === 58 && w.charCodeAt(i + 1) === 47 && w.charCodeAt(i + 2) === 47) || (c === 36 && i > 0)) return null;
    else if (((c === 32 || c === 9) && !rooted) || c === 10 || c === 96 || c === 40 || c === 59 || c === 42 || c === 63) return null;
  }
  let s = w;
  if (eq >= 0) s = s.slice(eq + 1);
  if (s.startsWith("@")) s = s.slice(1);
  // An scp or rsync remote (`user@host:~/.oci/config`): the path on that host.
  const colon = s.indexOf(":");
  if (colon > 0) {
    const slash = s.indexOf("/");
    if (slash < 0 || colon < slash) s = s.slice(colon + 1);
  }
  if (!s.includes("/") && !s.includes(".")) return null;
  return s;
}

/**
 * A shell word or a piece of code that names a credential file: the substring
 * table anywhere in it, and the full file judgement when it is a single path.
 */
export function credentialMentionOf(text: string): string | null {
  if (text.length > 4096 || !mayName(text)) return null;
  const hit = mentionMemo.get(text);
  if (hit !== undefined) return hit;
  const what = mentionOf(text);
  mentionMemo.set(text, what);
  return what;
}

function mentionOf(text: string): string | null {
  const a = text.toLowerCase();
  const m = mentionTable(a);
  if (m) return m;
  if (a.startsWith("--exclude") || a.startsWith("--ignore")) return null;
  const p = pathInWord(text);
  if (p === null) return null;
  if (p !== text) return credentialFileOf(p);
  // The word is itself a path and the table found nothing in it: exactly what credentialFileOf(text) answers.
  const what = fileJudgement(p, a);
  fileMemo.set(text, what);
  return what;
}

// ---------------------------------------------------------------------------
// Files: the full judgement of one path.

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
  "creds",
  "secret",
  "secrets",
  "password",
  "passwords",
  "htpasswd",
  "passphrase",
  "apikey",
  "privatekey",
  "privkey",
  "keypair",
]);

/** Words after the credential word that still name the credential file itself (`secret_file`, `token_cache`). */
const TRAILING_WORDS = new Set(["file", "files", "cache", "store", "db", "data", "local", "current", "old", "bak", "backup", "enc"]);
/** Words that only say which copy or environment a credential file is for (`secrets-prod`, `token-local`). */
const QUALIFIER_WORDS = new Set([
  "prod",
  "production",
  "prd",
  "live",
  "dev",
  "development",
  "stage",
  "staging",
  "stg",
  "test",
  "qa",
  "uat",
  "ci",
  "default",
  "private",
  "new",
  "copy",
  "orig",
  "version",
]);
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

/** Key-store and password-database formats: the file is a private key, a secret or holds them. */
const KEY_EXT = new Map<string, string>([
  ["key", "a private key or key store"],
  ["p8", "a private key or key store"],
  ["p12", "a private key or key store (PKCS#12)"],
  ["pfx", "a private key or key store (PKCS#12)"],
  ["jks", "a private key or key store (Java)"],
  ["keystore", "a private key or key store"],
  ["ppk", "a private key (PuTTY)"],
  ["keyring", "a keyring"],
  ["keychain", "a macOS keychain"],
  ["keychain-db", "a macOS keychain"],
  ["kdbx", "a KeePass database"],
  ["kdb", "a KeePass database"],
  ["keyx", "a KeePass key file"],
  ["secret", "a secret file"],
  ["kubeconfig", "Kubernetes credentials"],
  // Flux's and SOPS's documented name for an age identity (`age-keygen -o age.agekey`).
  ["agekey", "an age private key"],
]);

/** Directories whose `.pem` files are keys (certificates apart). */
const KEY_DIRS = ["/pki/", "/private/", "/secrets/", "/ssl/private/", "/keyrings/", "/keychains/"];
/** Directories whose data files are credentials wherever they sit. */
const CREDENTIAL_DIRS = [
  "/secrets/",
  "/credentials/",
  "/keystore/",
  "/keystores/",
  "/ssl/private/",
  "/credstore/",
  "/credstore.encrypted/",
];
/** Any of CREDENTIAL_DIRS in a path, in one pass. */
const IN_CREDENTIAL_DIR = new RegExp(anyOfSource(CREDENTIAL_DIRS));
/** Directories whose data files are credentials inside a tool's hidden directory (`~/.config/mcp/tokens/x.json`). */
const HIDDEN_CREDENTIAL_DIRS = ["/tokens/", "/keys/"];
/** Public keyrings: package signing keys, not secrets. */
const PUBLIC_KEYRING_DIRS = ["/usr/share/keyrings/", "/etc/apt/keyrings/", "/etc/apt/trusted.gpg.d/", "/usr/share/pki/"];

/** File names that are credentials wherever they are. */
const CREDENTIAL_NAMES = new Map<string, string>([
  ["netrc", "network credentials"],
  ["_netrc", "network credentials"],
  ["npmrc", "npm tokens"],
  ["pgpass.conf", "database passwords"],
  [".usqlpass", "database passwords"],
  [".google_authenticator", "a TOTP secret and recovery codes"],
  [".passwd-s3fs", "S3 credentials"],
  ["rclone.conf", "rclone remote credentials"],
  [".rclone.conf", "rclone remote credentials"],
  [".databrickscfg", "Databricks tokens"],
  [".terraformrc", "Terraform Cloud tokens"],
  ["terraform.rc", "Terraform Cloud tokens"],
  [".sentryclirc", "a Sentry token"],
  [".comet.config", "Comet ML credentials"],
  ["kubeconfig", "Kubernetes credentials"],
  ["wallet.dat", "a cryptocurrency wallet"],
  ["state.vscdb", "an editor's stored sign-in tokens"],
  ["cookies.sqlite", "browser session cookies"],
  ["cookies.binarycookies", "browser session cookies"],
  ["ntds.dit", "the Active Directory password database"],
  ["buildkite-agent.cfg", "a Buildkite agent token"],
  ["wp-config.php", "WordPress database passwords and keys"],
]);

interface ToolDir {
  what: string;
  /** Files (or sub-directories) inside the directory that hold the credentials; every file when absent. */
  files?: readonly string[];
}

/**
 * Tools' own directories in the home directory whose files hold their logins,
 * tokens or vaults, by the name the tool documents. Each is found as `~/.<name>/`,
 * `~/.config/<name>/`, `~/.local/share/<name>/`, `~/Library/Application Support/<name>/`,
 * `~/Library/<name>/` and `AppData/{Roaming,Local}/<name>/`; a top-level file
 * `~/.<name>.<ext>` counts as the directory.
 */
const TOOL_DIRS = new Map<string, ToolDir>([
  // Cloud providers.
  ["aws", { what: "AWS credentials" }],
  ["oci", { what: "Oracle Cloud credentials" }],
  ["doctl", { what: "DigitalOcean tokens" }],
  ["bluemix", { what: "IBM Cloud tokens" }],
  ["hcloud", { what: "Hetzner Cloud tokens" }],
  ["linode-cli", { what: "Linode tokens" }],
  ["scw", { what: "Scaleway credentials" }],
  ["vultr-cli", { what: "a Vultr API key" }],
  ["ionosctl", { what: "IONOS Cloud credentials" }],
  ["aliyun", { what: "Alibaba Cloud credentials" }],
  ["tccli", { what: "Tencent Cloud credentials" }],
  ["exoscale", { what: "Exoscale API keys" }],
  ["openstack", { what: "OpenStack passwords", files: ["clouds.yaml", "clouds.yml", "secure.yaml", "secure.yml"] }],
  ["talos", { what: "Talos client keys", files: ["config"] }],
  ["cloudflared", { what: "Cloudflare Tunnel credentials" }],
  ["wrangler", { what: "Cloudflare Wrangler tokens", files: ["config"] }],
  ["ngrok", { what: "an ngrok auth token", files: ["ngrok.yml"] }],
  ["ngrok2", { what: "an ngrok auth token", files: ["ngrok.yml"] }],
  // Secrets managers and password managers.
  ["doppler", { what: "Doppler tokens" }],
  ["infisical", { what: "Infisical sessions" }],
  ["op", { what: "1Password CLI sessions" }],
  ["bitwarden", { what: "a Bitwarden vault" }],
  ["bitwarden-cli", { what: "a Bitwarden vault" }],
  ["rbw", { what: "a Bitwarden vault (rbw)" }],
  ["lpass", { what: "a LastPass vault" }],
  ["gopass", { what: "a gopass password store", files: ["stores"] }],
  ["keyrings", { what: "the desktop keyring (saved passwords)" }],
  ["gnome-keyring", { what: "the desktop keyring (saved passwords)" }],
  ["kwalletd", { what: "the KDE wallet (saved passwords)" }],
  ["kwallet", { what: "the KDE wallet (saved passwords)" }],
  ["keychains", { what: "the macOS keychain" }],
  // Source hosting, CI and deployment.
  ["glab-cli", { what: "GitLab tokens", files: ["config.yml"] }],
  ["tea", { what: "Gitea tokens", files: ["config.yml"] }],
  ["gcm", { what: "git credentials (Git Credential Manager)", files: ["store"] }],
  ["git", { what: "git credentials", files: ["credentials"] }],
  ["github-copilot", { what: "GitHub Copilot tokens", files: ["hosts.json", "apps.json"] }],
  ["argocd", { what: "Argo CD tokens", files: ["config"] }],
  ["netlify", { what: "Netlify tokens", files: ["config.json"] }],
  ["fly", { what: "Fly.io tokens", files: ["config.yml"] }],
  ["railway", { what: "Railway tokens", files: ["config.json"] }],
  ["turso", { what: "Turso tokens", files: ["settings.json"] }],
  ["com.vercel.cli", { what: "Vercel tokens", files: ["auth.json"] }],
  ["twilio-cli", { what: "Twilio API keys" }],
  ["stripe", { what: "Stripe API keys", files: ["config.toml"] }],
  ["expo", { what: "an Expo session", files: ["state.json"] }],
  ["configstore", { what: "a CLI's stored login token", files: ["firebase-tools.json", "snyk.json"] }],
  ["jfrog", { what: "JFrog tokens", files: ["jfrog-cli.conf*"] }],
  // Package registries.
  ["bundle", { what: "Bundler gem source credentials", files: ["config"] }],
  ["nuget", { what: "NuGet feed credentials", files: ["nuget.config"] }],
  ["pnpm", { what: "pnpm registry tokens", files: ["rc"] }],
  ["yarnrc.yml", { what: "Yarn registry tokens" }],
  ["m2", { what: "Maven repository passwords", files: ["settings.xml", "settings-security.xml"] }],
  // Data platforms and databases.
  ["kaggle", { what: "a Kaggle API key" }],
  ["wandb", { what: "Weights & Biases settings", files: ["settings"] }],
  ["dbt", { what: "dbt warehouse passwords", files: ["profiles.yml"] }],
  ["snowflake", { what: "Snowflake passwords", files: ["connections.toml", "config.toml"] }],
  ["snowsql", { what: "Snowflake passwords", files: ["config"] }],
  ["confluent", { what: "Confluent Cloud credentials" }],
  ["filezilla", { what: "FileZilla saved server passwords", files: ["sitemanager.xml", "recentservers.xml"] }],
  ["jupyter", { what: "a Jupyter server's or kernel's access token", files: ["runtime"] }],
  // Storage and backups.
  ["boto", { what: "Google Cloud Storage or AWS credentials (boto)" }],
  ["mc", { what: "MinIO client keys", files: ["config.json"] }],
  ["borg", { what: "Borg backup keys", files: ["keys"] }],
  ["sops", { what: "age private keys (SOPS)", files: ["age"] }],
  // Wallets, messengers, Windows.
  ["electrum", { what: "cryptocurrency wallets", files: ["wallets"] }],
  ["solana", { what: "a Solana keypair", files: ["id.json"] }],
  ["signal", { what: "Signal's database key", files: ["config.json"] }],
  ["telegramdesktop", { what: "Telegram session keys", files: ["tdata"] }],
  ["microsoft", { what: "Windows saved credentials or the DPAPI keys that decrypt them", files: ["credentials", "protect", "vault"] }],
  ["cookies", { what: "browser session cookies" }],
]);

/** Where tools keep their data under a home directory; the tool's directory follows. */
const APP_ROOTS = [
  ".config/",
  ".local/share/",
  ".local/state/",
  "library/application support/",
  "library/group containers/",
  "library/containers/",
  "library/",
  "appdata/roaming/",
  "appdata/local/",
];

function fileMatches(after: string, base: string, files: readonly string[] | undefined): boolean {
  if (files === undefined || after === "") return true;
  for (const f of files) {
    if (f.endsWith("*")) {
      const stem = f.slice(0, -1);
      if (after.startsWith(stem) || base.startsWith(stem)) return true;
    } else if (after === f || after.startsWith(`${f}/`) || base === f) return true;
  }
  return false;
}

/** A tool's credential directory (see TOOL_DIRS) at the start of `rel`, a path relative to the home directory. */
function toolDirOf(rel: string): string | null {
  let rest = rel;
  let rooted = false;
  for (const root of APP_ROOTS) {
    if (rest.startsWith(root)) {
      rest = rest.slice(root.length);
      rooted = true;
      break;
    }
  }
  const slash = rest.indexOf("/");
  const seg = slash >= 0 ? rest.slice(0, slash) : rest;
  // `~/.aws/`, `~/.config/doctl/`; not a project folder that happens to be called `aws`.
  if (seg === "" || (!rooted && !seg.startsWith("."))) return null;
  // 1Password keeps its vaults under names like `1Password 7`, `com.1password.1password`, `2BUA8C4S2C.com.1password`.
  if (seg.includes("1password") || seg.includes("onepassword")) return "1Password vault data";
  let key = seg.startsWith(".") ? seg.slice(1) : seg;
  if (key.includes(" ")) key = key.replaceAll(" ", "-");
  let tool = TOOL_DIRS.get(key);
  if (!tool && slash < 0) {
    // `~/.vultr-cli.yaml`, `~/.boto`: the tool's single file at the top of the home directory.
    const dot = key.lastIndexOf(".");
    if (dot > 0) {
      key = key.slice(0, dot);
      tool = TOOL_DIRS.get(key);
    }
  }
  if (!tool) return null;
  const after = slash >= 0 ? rest.slice(slash + 1) : "";
  const base = after.slice(after.lastIndexOf("/") + 1);
  return fileMatches(after, base, tool.files) ? tool.what : null;
}

/** System locations that hold credentials (prefixes of a canonical path). */
const SYSTEM_CREDENTIALS: readonly [string, string][] = [
  ["/var/lib/kubelet/pki/", "the kubelet's client keys"],
  ["/etc/rancher/k3s/k3s.yaml", "Kubernetes admin credentials"],
  ["/etc/rancher/rke2/rke2.yaml", "Kubernetes admin credentials"],
  ["/etc/networkmanager/system-connections/", "saved Wi-Fi and VPN passwords"],
  ["/var/lib/tailscale/tailscaled.state", "the Tailscale node key"],
  ["/etc/datadog-agent/datadog.yaml", "the Datadog API key"],
  ["/etc/letsencrypt/accounts/", "ACME account keys"],
  // The Linkerd proxy's in-memory identity directory (LINKERD2_PROXY_IDENTITY_DIR): its workload private key.
  ["/var/run/linkerd/identity/", "the Linkerd proxy's workload identity key"],
  ["/run/linkerd/identity/", "the Linkerd proxy's workload identity key"],
  // HashiCorp agents' configuration directories (the packages' defaults): the agent configuration holds the
  // gossip encryption key (`encrypt`), ACL and Vault tokens, auto-unseal or KMS keys (Vault's `seal`,
  // Boundary's `kms "aead"`), and the TLS keys and the `*.env` file the systemd unit loads sit beside it.
  ["/etc/vault.d/", "HashiCorp Vault configuration (seal keys, tokens, TLS keys)"],
  ["/etc/consul.d/", "HashiCorp Consul configuration (the gossip encryption key, ACL tokens, TLS keys)"],
  ["/etc/nomad.d/", "HashiCorp Nomad configuration (the gossip encryption key, Vault and Consul tokens, TLS keys)"],
  ["/etc/boundary.d/", "HashiCorp Boundary configuration (KMS keys, database passwords)"],
  ["/windows/system32/config/sam", "the Windows password hashes (SAM)"],
  ["/windows/system32/config/security", "Windows LSA secrets"],
  ["/windows/system32/config/system", "the key that decrypts the Windows password hashes"],
];

/** A word that is only a number or a version (`2`, `v3`): not part of a name. */
function isNumberWord(w: string): boolean {
  let i = w.startsWith("v") ? 1 : 0;
  if (i >= w.length) return false;
  for (; i < w.length; i++) if (w.charCodeAt(i) < 48 || w.charCodeAt(i) > 57) return false;
  return true;
}

/**
 * Words of a file name as written, so `masterPassword.xml` reads as master + password:
 * split at `-`, `_`, `.`, spaces and lower-to-upper case changes; numbers left out.
 * `leadOnly` stops at the first dot after any leading ones (`credentials.tfrc.json` leads with `credentials`).
 */
function nameWords(raw: string, leadOnly = false): string[] {
  // After the last `/` or `\`: one backwards scan for both.
  let cut = raw.length - 1;
  while (cut >= 0 && raw.charCodeAt(cut) !== 47 && raw.charCodeAt(cut) !== 92) cut--;
  const rawBase = raw.slice(cut + 1);
  let start = 0;
  while (start < rawBase.length && rawBase[start] === ".") start++;
  let end = rawBase.length;
  if (leadOnly) {
    const dot = rawBase.indexOf(".", start);
    if (dot > 0) end = dot;
  } else {
    // The last dot, when one follows the first character (one search where includes and lastIndexOf made two).
    const dot = rawBase.lastIndexOf(".");
    if (dot >= 1) end = dot;
  }
  // Words are slices between breaks, lower-cased (no closure per call: this runs for every path judged).
  const out: string[] = [];
  let from = start;
  for (let i = start; i <= end; i++) {
    // Character codes, not one-character strings: - _ . space tab, then A-Z after a-z or 0-9.
    const c = i < end ? rawBase.charCodeAt(i) : -1;
    const sep = i === end || c === 45 || c === 95 || c === 46 || c === 32 || c === 9;
    let camel = false;
    if (!sep && c >= 65 && c <= 90 && i > start) {
      const prev = rawBase.charCodeAt(i - 1);
      camel = (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57);
    }
    if (sep || camel) {
      if (i > from) {
        const word = rawBase.slice(from, i).toLowerCase();
        if (!isNumberWord(word)) out.push(word);
      }
      from = sep ? i + 1 : i;
    }
  }
  return out;
}

/** Words that say a certificate, not a key (`cert-chain.pem`, `fullchain.pem`, `ca.pem`). */
const CERT_WORDS = new Set(["cert", "certs", "certificate", "chain", "fullchain", "crt", "ca", "bundle", "trust"]);

/** The credential a path refers to, or null: known files and stores, tools' credential directories, names and key formats. */
export function credentialFileOf(raw: string): string | null {
  if (raw.length > 4096) return null;
  const hit = fileMemo.get(raw);
  if (hit !== undefined) return hit;
  const lower = raw.toLowerCase();
  const what = mentionTable(lower) ?? fileJudgement(raw, lower);
  fileMemo.set(raw, what);
  return what;
}

/** Formats that hold data rather than code or prose. */
const DATA_FILE = /\.(ya?ml|json|env|ini|conf|cfg|toml|properties|xml|txt|csv)$/;

const WHOLE_CREDENTIAL_DIR = /(?:^|\/)\.(ssh|aws|kube|docker|anthropic)\/?$/;
const CREDENTIAL_DIR_WHAT: Record<string, string> = {
  ssh: "SSH keys",
  aws: "AWS credentials",
  kube: "Kubernetes credentials",
  docker: "Docker registry credentials",
  anthropic: "Anthropic credentials",
};

/** The judgement beyond the substring table, which the caller already tried on `lower`. */
function startsWithAny(p: string, prefixes: readonly string[]): boolean {
  for (const x of prefixes) if (p.startsWith(x)) return true;
  return false;
}

function includesAny(p: string, parts: readonly string[]): boolean {
  for (const x of parts) if (p.includes(x)) return true;
  return false;
}

/** Where newer versions of tools keep what `~/.<tool>/` held. */
const MOVED_ROOTS = [".config/", ".local/share/"];

/** A stem that names an API or access key (`api_key`, `session-key`). */
const KEY_NAME = /^(?:api|access|auth|bearer|session)[-_]?key$/;

const isCredWord = (w: string, hidden: boolean): boolean => CREDENTIAL_WORDS.has(w) || (hidden && HIDDEN_CREDENTIAL_WORDS.has(w));

function fileJudgement(raw: string, lower: string): string | null {
  if (lower.startsWith("--exclude") || lower.startsWith("--ignore") || isPublicMaterial(lower)) return null;
  const p = canonicalPath(raw);
  if (isPublicMaterial(p)) return null;
  if (p !== lower) {
    const resolved = mentionTable(p);
    if (resolved) return resolved;
  }
  const rooted = p.startsWith("/");
  if (rooted && startsWithAny(p, PUBLIC_KEYRING_DIRS)) return null;
  // A credential directory as a whole (`tar czf x.tgz ~/.aws/`, `cp -r ~/.kube /tmp/k`).
  // A match ends the path with one of the names' last letters or a `/`: h s e r c /.
  const end = p.charCodeAt(p.length - 1);
  if (end === 104 || end === 115 || end === 101 || end === 114 || end === 99 || end === 47) {
    const dir = WHOLE_CREDENTIAL_DIR.exec(p);
    if (dir?.[1]) return CREDENTIAL_DIR_WHAT[dir[1]] ?? "credentials";
  }
  const slash = p.lastIndexOf("/");
  const base = p.slice(slash + 1);
  const rel = homeRelative(p);
  if (rel !== null) {
    // `~/.config/azure/x` is where newer versions keep what `~/.azure/x` held.
    for (const root of MOVED_ROOTS) {
      if (!rel.startsWith(root)) continue;
      const moved = mentionTable(`~/.${rel.slice(root.length)}`);
      if (moved) return moved;
    }
    if (rel.startsWith(".config/ssh/") || rel === ".config/ssh") return "SSH keys";
    const tool = toolDirOf(rel);
    if (tool) return tool;
    // Browsers and Electron apps (Slack, Discord, Teams) keep web sessions in Local Storage.
    if (rel.includes("/local storage/leveldb")) return "an app's or browser's stored web sessions (local storage)";
    if (base === "local state" || base === "web data") return "a browser's password key or autofill data";
    if (base === "cookies" || base === "cookies-journal") return "browser session cookies";
    if (rel.includes("/kwallet/") || rel.includes("/keyrings/")) return "the desktop keyring (saved passwords)";
    if (rel.includes("/wallets/") || rel.includes(".wallet/") || base.endsWith(".wallet")) return "a cryptocurrency wallet";
  }
  if (base === "storage.json" && (p.includes("/globalstorage/") || p.startsWith("globalstorage/")))
    return "an editor's stored sign-in tokens";
  if (p.startsWith("/etc/kubernetes/") && (p.endsWith(".conf") || p.includes("/pki/"))) return "Kubernetes cluster credentials";
  // The directory itself too (`tar czf x.tgz /etc/consul.d`): the trailing slash was dropped by canonicalPath.
  // Every entry is an absolute path.
  if (rooted)
    for (let i = 0; i < SYSTEM_CREDENTIALS.length; i++) {
      const e = SYSTEM_CREDENTIALS[i] as readonly [string, string];
      const prefix = e[0];
      if (p.startsWith(prefix) || (prefix.endsWith("/") && p.length === prefix.length - 1 && prefix.startsWith(p))) return e[1];
    }
  // Jupyter's runtime directory (`jupyter --runtime-dir`: ~/.local/share/jupyter/runtime, ~/Library/Jupyter/runtime,
  // %APPDATA%\jupyter\runtime, or `runtime` under a JUPYTER_DATA_DIR named jupyter): kernel-*.json connection files
  // hold the HMAC key that lets whoever has it run code in the kernel; jpserver-*.json, nbserver-*.json and
  // *-open.html hold the server's token, and the cookie secret sits beside them. Nothing else is kept there.
  if (
    p.includes("jupyter/runtime") &&
    (p.includes("/jupyter/runtime/") || p.startsWith("jupyter/runtime/") || p.endsWith("/jupyter/runtime"))
  )
    return "a Jupyter kernel's connection key or a Jupyter server's token (its runtime directory)";
  if (p.includes("/spire/") && (p.endsWith(".sock") || p.includes("/spire/data/")))
    return "SPIRE workload identities (its socket hands them out; its data directory holds the keys)";
  if (base.startsWith("ssh_host_") && base.endsWith("_key")) return "an SSH host private key";
  // Podman and Buildah keep registry logins in `$XDG_RUNTIME_DIR/containers/auth.json`.
  if (base === "auth.json" && p.endsWith("/containers/auth.json")) return "container registry credentials";
  const byName = CREDENTIAL_NAMES.get(base);
  if (byName) return byName;
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot + 1) : "";
  const keyFormat = KEY_EXT.get(ext);
  if (keyFormat) return keyFormat;
  if (ext !== "pem" && !DATA_EXT.has(ext) && ext !== "tfvars" && !base.endsWith(".tfvars.json") && !base.includes("history")) return null;
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const words = nameWords(raw);
  if (ext === "pem") {
    const cert = words.some((w) => CERT_WORDS.has(w)) && !words.some((w) => w.includes("key"));
    if (!cert && (stem.includes("key") || includesAny(p, KEY_DIRS))) return "a private key";
  }
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
  if (!DATA_EXT.has(ext)) return null;
  if (words.some((w) => EXAMPLE_WORDS.has(w) || DOC_WORDS.has(w))) return null;
  // The credential word names the file (`vault_password`, `token_cache`, `credentials.tfrc`, `.netskopetoken`).
  const meaningful = words.filter((w) => !TRAILING_WORDS.has(w));
  const first = meaningful[0] ?? "";
  const last = meaningful[meaningful.length - 1] ?? "";
  // In a tool's hidden directory (~/.fly, ~/.config/containers) more names are its credentials.
  const hidden = p.includes("/.") || (p.startsWith(".") && !p.startsWith(".."));

  // Named first in a data file (`secrets-myapp.yaml`, `credentials-backend.json`), or followed only by
  // words that say which copy; the rest of a dotted name is a format (`credentials.tfrc.json`).
  let named = false;
  for (let i = meaningful.length - 1; i >= 0 && !named; i--) {
    const w = meaningful[i] ?? "";
    if (isCredWord(w, hidden)) named = true;
    else if (!QUALIFIER_WORDS.has(w)) break;
  }
  if (!named && isCredWord(first, hidden)) {
    const lead = nameWords(raw, true).filter((w) => !TRAILING_WORDS.has(w));
    named = DATA_FILE.test(p) || lead.slice(1).every((w) => QUALIFIER_WORDS.has(w));
  }
  if (named || stem.endsWith("credentials") || (stem.endsWith("key") && KEY_NAME.test(stem))) return "a file named as credentials";
  if (last.endsWith("token") || last.endsWith("secret") || last.endsWith("password")) return "a file named as credentials";
  // `insecure_private_key`, `vault_pass`, `.ansible_vault_pass`: the words together name a key or a password.
  for (let i = 0; i + 1 < meaningful.length; i++) {
    const w = meaningful[i];
    const next = meaningful[i + 1];
    if (w === "private" && (next === "key" || next === "keys")) return "a private key";
    if (w === "vault" && (next === "pass" || next === "password" || next === "passwd")) return "a vault password";
    // `age-key.txt`, `.age_keys.txt`, `age-identity.txt`: age identities (private keys; recipients are `age1...` public keys,
    // kept in `recipients.txt` or `*.pub`, which never reach here).
    if (w === "age" && (next === "key" || next === "keys" || next === "identity" || next === "identities")) return "an age private key";
  }
  // age's documented output (`age-keygen -o key.txt`) in an age directory (`~/.age/keys.txt`, `/etc/age/key.txt`).
  if ((base === "keys.txt" || base === "key.txt") && (p.includes("/age/") || p.startsWith("age/"))) return "age private keys";
  if (IN_CREDENTIAL_DIR.test(p) || (hidden && includesAny(p, HIDDEN_CREDENTIAL_DIRS)))
    return "a file in a secrets or credentials directory";
  if (ext === "" && (p.includes("/keyrings/") || p.includes("/keychains/"))) return "a key store";
  return null;
}
