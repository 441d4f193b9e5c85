import { TAGS } from "../common";
import { BRACED_HOME, credentialFileOf, credentialMentionOf } from "../credentials";
import { capturedSecretOf, flowOf } from "./flow";
import type { Acc, CmdInfo } from "./index";
import { notReadReason } from "./not-read";
import { hostOf, isOutsideWorkspace, secretOf } from "./paths";
import type { Redirect, Word } from "./tokenize";

/**
 * Credentials shown or handed over: secret-named variables printed, token
 * helpers, key exports, credential stores, cloud metadata endpoints, tokens
 * written into URLs and headers.
 */

/** Words of a variable name that make it a credential (`GITHUB_TOKEN`, `OPENAI_API_KEY`, `DB_PASSWORD`). */
const SECRET_WORDS = new Set([
  "TOKEN",
  "TOKENS",
  "SECRET",
  "SECRETS",
  "PASSWORD",
  "PASSWD",
  "PASS",
  "KEY",
  "APIKEY",
  "CREDENTIAL",
  "CREDENTIALS",
  "CREDS",
  "PAT",
  "COOKIE",
  "PASSPHRASE",
]);
/** A last word that names something about a credential, not the credential (`AWS_ACCESS_KEY_ID`, `SSH_KEY_PATH`). */
const NOT_SECRET_LAST = new Set([
  "ID",
  "PATH",
  "FILE",
  "DIR",
  "NAME",
  "URL",
  "HOST",
  "PORT",
  "TYPE",
  "ENABLED",
  "MODE",
  "REGION",
  "USER",
  "USERNAME",
  "SOCK",
  "LENGTH",
  "SIZE",
  "TTL",
  "EXPIRY",
  "HELPER",
]);

const SECRET_END = /(TOKEN|SECRET|PASSWORD|APIKEY)$/;

/** True when a variable name reads as a credential. */
export function isSecretName(name: string): boolean {
  const parts = name.toUpperCase().split("_");
  // Empty words (`__`, a leading or trailing `_`) do not count: the last word is the last non-empty one.
  let end = parts.length - 1;
  while (end >= 0 && parts[end] === "") end--;
  if (end < 0) return false;
  const last = parts[end] as string;
  if (NOT_SECRET_LAST.has(last)) return false;
  for (let i = 0; i <= end; i++) if (SECRET_WORDS.has(parts[i] as string)) return true;
  return SECRET_END.test(last);
}

/** A search pattern that asks for credentials (`grep -i password`, `grep -E 'secret|token'`). */
export function isSecretPattern(p: string): boolean {
  const s = p.toLowerCase();
  return SECRET_PATTERN.test(s) || KEY_PREFIX_PATTERN.test(s);
}

const SECRET_PATTERN =
  /pass(word|wd)?\b|passwd|secret|token|api[_.-]?key|apikey|credential|bearer|authorization|private[_ ]key|aws_access|-----begin/;
/** The fixed prefixes of common credentials (`grep -r AKIA ~`, `rg 'ghp_' /home`): searching for them finds keys. */
const KEY_PREFIX_PATTERN =
  /(?:^|[^a-z0-9])(?:akia|asia)|\bghp_|\bgho_|\bghs_|github_pat_|\bsk-(?:ant-|proj-)|\bsk_live_|\bxox[abprs]-|\baiza|\bglpat-|\bnpm_[a-z0-9]/;

/** A pattern that keeps every line (or almost): `grep -r . ~` prints all it reads. */
function keepsEverything(p: string): boolean {
  return p === "" || p === "." || p === "^" || p === "$" || p === ".*" || p === "^.*" || p === ".*$" || p === "^.*$" || p === "^.";
}

const TRAILING_SLASHES = /\/+$/;
const USER_HOME = /^\/(?:home|Users)\/[^/]+$/;

/** A home directory or the root as a whole: everything under it includes the credential stores (~/.ssh, ~/.aws, ...). */
export function wholeHome(v: string): boolean {
  const p = v.replace(TRAILING_SLASHES, "") || "/";
  return (
    p === "~" || p === "$HOME" || p === BRACED_HOME || p === "/" || p === "/root" || p === "/home" || p === "/Users" || USER_HOME.test(p)
  );
}

const VAR_REF = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** The first secret-named variable a word expands (`$OPENAI_API_KEY`, `${DB_PASSWORD}`), or undefined. */
function secretVarOf(w: Word): string | undefined {
  if (!w.expanded && !w.raw.includes("$")) return undefined;
  for (const m of w.value.matchAll(VAR_REF)) if (m[1] && isSecretName(m[1])) return m[1];
  return undefined;
}

/** Commands that read (or copy) the files they are given. */
const FILE_READERS = new Set(
  "cat tac less more most head tail strings xxd od hexdump base64 jq yq sqlite3 cp scp rsync tar zip 7z gzip grep rg awk sed vim vi nano view bat".split(
    " ",
  ),
);

/** Archivers and copiers: a home directory given to them is copied whole. */
const COPIERS = new Set(["tar", "zip", "7z", "7za", "cp", "rsync", "scp", "bsdtar", "gtar"]);
/** Their options whose value is a destination or an archive, not a source (`-C ~`, `-t ~`, `-f x.tgz`). */
const COPY_VALUED = new Set([
  "-C",
  "--directory",
  "-f",
  "--file",
  "-t",
  "--target-directory",
  "-e",
  "--rsh",
  "-i",
  "-o",
  "-P",
  "-S",
  "--suffix",
]);

/** `tar x…`/`tar t…`: unpacking or listing an archive copies nothing from where it is run. */
function tarUnpacks(name: string, vals: readonly string[]): boolean {
  if (name !== "tar" && name !== "bsdtar" && name !== "gtar") return false;
  const mode = vals[0] ?? "";
  if (!mode.startsWith("-") && /[xt]/.test(mode)) return true;
  return vals.some((v) => v === "--extract" || v === "--get" || v === "--list" || /^-[a-zA-Z]*[xt]/.test(v));
}

/** The operands a copier reads from: not option values, and not the destination of cp, rsync and scp (the last operand). */
function copySources(name: string, vals: readonly string[]): string[] {
  const ops: string[] = [];
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i] as string;
    if (v.startsWith("-")) {
      if (COPY_VALUED.has(v)) i++;
      continue;
    }
    ops.push(v);
  }
  if (name === "cp" || name === "rsync" || name === "scp") ops.pop();
  return ops;
}

const PROC_MEM = /^(if=)?\/proc\/(self|\d+)\/mem$/;

/** Readers whose first operand is a pattern or a program, not a file (`grep token f`). */
const PATTERN_FIRST = new Set(["grep", "rg", "awk", "sed", "jq", "yq", "sqlite3"]);

/** A credential file that `arg`, a word or a string in code, names as a path (judgement shared with the MCP pack). */
export function moreSecretFile(arg: string): string | null {
  return credentialMentionOf(arg);
}

/** Cloud instance metadata services: they hand out the machine's credentials to whoever asks. */
const METADATA_HOSTS = new Set([
  "169.254.169.254",
  "metadata.google.internal",
  "metadata",
  "169.254.170.2",
  "100.100.100.200",
  "fd00:ec2::254",
  "[fd00:ec2::254]",
  "169.254.169.253",
]);
const HTTP_CLIENTS = new Set(["curl", "wget", "http", "https", "xh", "nc", "ncat", "netcat", "telnet", "socat", "aria2c", "lynx", "links"]);

function urlPath(v: string): string {
  const k = v.indexOf("://");
  const rest = k >= 0 ? v.slice(k + 3) : v;
  const s = rest.indexOf("/");
  return s >= 0 ? rest.slice(s).toLowerCase() : "";
}

const QUERY_SECRET = /[?&](api[_-]?key|apikey|key|token|access_token|auth|password|secret|client_secret|sig)=([^&#\s]+)/i;

/** The tools printsToken knows. */
const TOKEN_TOOLS = new Set(["gh", "docker", "podman", "nerdctl", "heroku", "npm"]);

/** The tool-specific ways of printing a stored token. */
function printsToken(name: string, vals: readonly string[]): string | null {
  if (!TOKEN_TOOLS.has(name)) return null;
  const pos = vals.filter((v) => !v.startsWith("-"));
  if (name === "gh") {
    if (pos[0] === "auth" && pos[1] === "token") return "the GitHub CLI's token";
    if (pos[0] === "auth" && pos[1] === "status" && vals.some((v) => v === "--show-token" || v === "-t")) return "the GitHub CLI's token";
    if (pos[0] === "config" && pos[1] === "get" && /token/i.test(pos[2] ?? "")) return "a GitHub token from the CLI's configuration";
  }
  if (
    (name === "docker" || name === "podman" || name === "nerdctl") &&
    (pos[0] === "inspect" || (pos[0] === "container" && pos[1] === "inspect"))
  ) {
    const fmtAt = vals.findIndex((v) => v === "-f" || v === "--format" || v.startsWith("--format="));
    const fmt = fmtAt < 0 ? undefined : vals[fmtAt]?.startsWith("--format=") ? vals[fmtAt]?.slice(9) : vals[fmtAt + 1];
    if (fmt === undefined || /env/i.test(fmt)) return "the container's environment variables (docker inspect)";
  }
  if (name === "heroku" && pos[0] === "auth:token") return "the Heroku CLI's token";
  if (name === "npm" && pos[0] === "token" && pos[1] === "create") return "a new npm token";
  return null;
}

export function credentialsCommand(
  name: string,
  args: readonly Word[],
  acc: Acc,
  info: CmdInfo,
  redirects: readonly Redirect[],
  vals: readonly string[] = args.map((w) => w.value),
): void {
  // Printing a secret-named variable shows the credential (`echo $OPENAI_API_KEY`, `printenv GITHUB_TOKEN`).
  if (name === "echo" || name === "printf" || name === "print") {
    for (const w of args) {
      const n = secretVarOf(w);
      if (n) {
        flowOf(info).printsSecret = `$${n}, a credential held in a variable`;
        break;
      }
    }
    for (const w of args) {
      if (w.subs.length === 0) continue;
      const held = w.subs.map(capturedSecretOf).find((x) => x !== undefined);
      if (held) flowOf(info).printsSecret = held;
    }
  } else if (name === "printenv") {
    const n = vals.find((v) => !v.startsWith("-"));
    if (n && isSecretName(n)) flowOf(info).printsSecret = `${n}, a credential held in the environment`;
  } else if (name === "cat" && args.length === 0) {
    for (const r of redirects) {
      if (r.op !== "<<<" || !r.target) continue;
      const n = secretVarOf(r.target);
      if (n) flowOf(info).printsSecret = `$${n}, a credential held in a variable`;
    }
  }
  const token = printsToken(name, vals);
  if (token) flowOf(info).printsSecret = token;
  if (name === "gpg" || name === "gpg2") {
    if (vals.some((v) => v === "--export-secret-keys" || v === "--export-secret-subkeys" || v.startsWith("--export-secret"))) {
      acc.tag(TAGS.secrets);
      acc.find("gpg --export-secret-keys writes out private key material");
    }
  }
  if (name === "nmcli") {
    if (vals.some((v) => v === "--show-secrets" || v === "-s" || v === "-show-secrets")) {
      acc.tag(TAGS.secrets);
      acc.find("nmcli --show-secrets prints stored Wi-Fi and VPN passwords");
    }
    const pos = vals.filter((v) => !v.startsWith("-"));
    if ((pos[0] === "connection" || pos[0] === "con" || pos[0] === "c") && pos[1] === "export") {
      acc.tag(TAGS.secrets);
      acc.find("nmcli connection export writes a VPN profile with its credentials");
    }
  }
  if (name === "ssh-add") {
    const files = vals.filter((v, i) => !v.startsWith("-") && !["-t", "-E", "-S", "-h", "-H"].includes(vals[i - 1] ?? ""));
    const removes = vals.some((v) => /^-[A-Za-z]*[dDlLx]/.test(v));
    if (files.length > 0 && !removes) {
      acc.tag(TAGS.secrets);
      acc.find(`ssh-add loads the private key ${files[0]} into the ssh agent`);
    }
    // `ssh-add -l` / `-L`: which keys the agent holds and will sign with, the way an intruder maps them.
    if (vals.some((v) => /^-[A-Za-z]*[lL]/.test(v)) && !vals.some((v) => /^-[A-Za-z]*[dDxX]/.test(v))) {
      acc.tag(TAGS.recon);
      acc.find("ssh-add lists the keys the ssh agent holds and will sign with");
    }
  }
  if (name === "history") {
    flowOf(info).historySource = "the shell history";
    // `history -w FILE` / `-a FILE`: the whole history, pasted tokens and all, copied to FILE.
    const at = vals.findIndex((v) => /^-[a-z]*[wa][a-z]*$/.test(v));
    const file = at >= 0 ? vals[at + 1] : undefined;
    if (file !== undefined && !file.startsWith("-")) {
      acc.tag(TAGS.secrets, TAGS.write);
      acc.find(`history writes the shell history (often holds pasted tokens) to ${file}`);
    }
  }
  // Prompting for a password or token: the answer is a credential the line now holds.
  if (
    (name === "read" && vals.some((v) => /^-[a-zA-Z]*s/.test(v))) ||
    ((name === "zenity" || name === "kdialog") && vals.some((v) => v === "--password")) ||
    name === "systemd-ask-password"
  ) {
    acc.tag(TAGS.secrets);
    acc.find(`${name} prompts for a password or token without echoing it`);
  }
  if (name === "coredumpctl" && ["dump", "debug", "gdb"].includes(vals.find((v) => !v.startsWith("-")) ?? "")) {
    acc.tag(TAGS.secrets);
    acc.find("coredumpctl opens a crash dump: the memory of a process, credentials included");
  }
  if ((name === "dd" || FILE_READERS.has(name)) && vals.some((v) => PROC_MEM.test(v))) {
    acc.tag(TAGS.secrets);
    acc.find(`${name} reads process memory (/proc/.../mem), credentials included`);
  }
  if (name === "journalctl") flowOf(info).historySource = "the system logs";
  // `tar czf /tmp/h.tgz ~`, `cp -r ~ /tmp/x`, `zip -r h.zip /home/u`: the copy holds the credential stores too.
  if (COPIERS.has(name) && !tarUnpacks(name, vals)) {
    const ops = copySources(name, vals);
    const home = ops.find(wholeHome);
    if (home) {
      acc.tag(TAGS.secrets);
      acc.find(`${name} copies everything under ${home}, the credential stores (~/.ssh, ~/.aws, tokens) included`);
    }
  }
  if (FILE_READERS.has(name)) {
    // A reader's operands are files, bare names too (`cat token`): judged as the MCP pack judges `read_file`.
    const bare = !PATTERN_FIRST.has(name);
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i] as string;
      if (v.startsWith("-") || notReadReason(args[i])) continue;
      const what = bare ? credentialFileOf(v) : credentialMentionOf(v);
      if (what && !secretOf(v)) {
        acc.tag(TAGS.secrets);
        acc.find(`${name} reads ${v} (${what})`);
        break;
      }
    }
  }
  if (HTTP_CLIENTS.has(name)) httpCredentials(name, args, acc);
  if (name === "grep" || name === "egrep" || name === "rg" || name === "ag" || name === "ack") secretSearch(name, vals, acc);
  if (name === "gh") {
    const pos = vals.filter((v) => !v.startsWith("-"));
    if (pos[0] === "pr" && pos[1] === "merge" && vals.includes("--admin")) {
      acc.tag(TAGS.privilege);
      acc.find("gh pr merge --admin uses administrator rights to merge past required reviews and checks");
    }
  }
}

/** Options of the searchers whose value is not an operand. */
const SEARCH_VALUED = new Set(["-e", "-f", "-m", "-A", "-B", "-C", "-g", "-t", "--include", "--exclude"]);
const RECURSIVE_FLAG = /^-[a-zA-Z]*[rR]/;
const NAMES_ONLY_FLAG = /^-[a-zA-Z]*[lLcq]/;
const INVERT_FLAG = /^-[a-zA-Z]*v/;

/** `grep -r password ~/dev`: credentials searched for, and printed, outside the working tree. */
function secretSearch(name: string, vals: readonly string[], acc: Acc): void {
  const recursive = name !== "grep" && name !== "egrep" ? true : vals.some((v) => RECURSIVE_FLAG.test(v) || v === "--recursive");
  if (!recursive) return;
  const pos = vals.filter((v, i) => !v.startsWith("-") && !SEARCH_VALUED.has(vals[i - 1] ?? ""));
  const at = vals.findIndex((v) => v === "-e" || v === "--regexp");
  const pattern = at >= 0 ? vals[at + 1] : pos[0];
  const paths = at >= 0 ? pos : pos.slice(1);
  if (pattern === undefined) return;
  // `grep -r . ~`, `grep -rv x ~`: every line of every file under the home directory, keys and tokens included.
  const everyLine = keepsEverything(pattern) || vals.some((v) => INVERT_FLAG.test(v) || v === "--invert-match");
  if (everyLine && !vals.some((v) => NAMES_ONLY_FLAG.test(v) || v === "--files-with-matches" || v === "--count" || v === "--quiet")) {
    const home = paths.find(wholeHome);
    if (home) {
      acc.tag(TAGS.secrets);
      acc.find(`${name} prints every line under ${home}, where the credential stores are (~/.ssh, ~/.aws, tokens)`);
      return;
    }
  }
  if (!(isSecretPattern(pattern) || isSecretName(pattern))) return;
  const outside = paths.find((p) => isOutsideWorkspace(p) || p === "~" || p.startsWith("$HOME"));
  if (outside) {
    acc.tag(TAGS.secrets);
    acc.find(`${name} searches ${outside} for ${pattern} and prints the credentials it finds`);
  }
}

const ACTUATOR_PATH = /\/actuator\/(env|heapdump|configprops|threaddump)\b/;
const K8S_SECRETS_PATH = /^\/api\/v1\/(namespaces\/[^/]+\/)?secrets\b/;
const DOCKER_TCP = /^(tcp|https?):\/\/[^/\s]+:(2375|2376)(\/|$)/;

function httpCredentials(name: string, args: readonly Word[], acc: Acc): void {
  for (let i = 0; i < args.length; i++) {
    const w = args[i] as Word;
    const v = w.value;
    const prev = args[i - 1]?.value ?? "";
    if (v.startsWith("-") && !v.includes("://")) continue;
    if (prev === "-H" || prev === "--header") {
      const m = /^\s*authorization\s*:\s*(bearer|token|basic)\s+(\S+)/i.exec(v);
      if (m?.[2] && !m[2].includes("$") && m[2].length >= 16 && /\d/.test(m[2])) {
        acc.tag(TAGS.secrets);
        acc.find(`${name} carries a literal ${m[1]} credential in its Authorization header`);
      }
      continue;
    }
    const lower = v.toLowerCase();
    if (lower.startsWith("file://")) {
      acc.tag(TAGS.ssrf);
      acc.find(`${name} reads ${v}: file: URLs reach local files, not the web`);
      const s =
        secretOf(v.slice(7)) ?? (v.slice(7).startsWith("/proc/") && v.endsWith("/environ") ? { what: "a process environment" } : null);
      if (s) {
        acc.tag(TAGS.secrets);
        acc.find(`${name} reads ${v.slice(7)} (${s.what})`);
      }
      continue;
    }
    const host = hostOf(v, name === "nc" || name === "ncat" || name === "netcat" || name === "telnet" || !v.includes(" "));
    if (host && METADATA_HOSTS.has(host) && (v.includes("://") || host !== "metadata")) {
      acc.tag(TAGS.ssrf);
      acc.find(`${name} reaches the cloud metadata service (${host}), which hands out the machine's credentials`);
      const path = urlPath(v);
      if (/security-credentials|token|service-accounts|identity|user-data|credentials/.test(path) || path === "" || path === "/") {
        acc.tag(TAGS.secrets);
        acc.find(`${path || host} returns instance credentials or the secrets passed to the machine`);
      }
      continue;
    }
    if (!v.includes("://")) continue;
    const q = QUERY_SECRET.exec(v);
    if (
      q?.[2] &&
      !q[2].includes("$") &&
      q[2].length >= 12 &&
      /\d/.test(q[2]) &&
      /[a-z]/i.test(q[2]) &&
      !/^(x+|<.*>|your|placeholder|redacted)/i.test(q[2])
    ) {
      acc.tag(TAGS.secrets);
      acc.find(`${name} puts a credential in the URL (${q[1]}=…), where logs and proxies keep it`);
    }
    const path = urlPath(v);
    if (ACTUATOR_PATH.test(path)) {
      acc.tag(TAGS.secrets);
      acc.find(`${path} is a Spring Boot actuator endpoint that returns the environment or memory, credentials included`);
    }
    if (K8S_SECRETS_PATH.test(path)) {
      acc.tag(TAGS.secrets);
      acc.find(`${path} reads Kubernetes secrets from the API server`);
    }
  }
  if (args.some((w) => DOCKER_TCP.test(w.value))) {
    acc.tag(TAGS.privilege);
    acc.find(`${name} talks to a Docker daemon's TCP API (port 2375/2376), which is as good as root on that host`);
  }
  const at = name === "curl" ? args.findIndex((w) => w.value === "--unix-socket" || w.value.startsWith("--unix-socket=")) : -1;
  if (at >= 0) {
    const sock = args[at]?.value.startsWith("--unix-socket=") ? args[at]?.value.slice(14) : args[at + 1]?.value;
    if (sock?.includes("docker.sock") || sock?.includes("containerd.sock") || sock?.includes("podman.sock")) {
      acc.tag(TAGS.privilege);
      acc.find(`curl talks to the container daemon's API (${sock}) directly, which is as good as root`);
    }
  }
}

/** `git credential fill`, `git log -S PASSWORD`, `git add .env`. */
export function credentialsGit(words: readonly Word[], acc: Acc, info: CmdInfo): void {
  const vals = words.map((w) => w.value);
  const pos = vals.slice(1).filter((v) => !v.startsWith("-"));
  const sub = pos[0] ?? "";
  if (sub === "credential" && ["fill", "approve", "reject", "store", "get"].includes(pos[1] ?? "")) {
    acc.tag(TAGS.secrets);
    acc.find(
      `git credential ${pos[1]} ${pos[1] === "fill" || pos[1] === "get" ? "prints stored credentials" : "hands credentials to the credential store"}`,
    );
  }
  // `git commit -F ~/.ssh/id_rsa`: the file becomes the commit message, pushed with the history.
  if (sub === "commit" || sub === "tag" || sub === "notes") {
    for (let i = 1; i < vals.length; i++) {
      const v = vals[i] ?? "";
      const file =
        v === "-F" || v === "--file" || v === "-t" || v === "--template"
          ? vals[i + 1]
          : /^--(file|template)=/.test(v)
            ? v.slice(v.indexOf("=") + 1)
            : undefined;
      const s = file !== undefined ? secretOf(file) : null;
      if (s) {
        acc.tag(TAGS.secrets);
        acc.find(`git ${sub} takes its message from ${file} (${s.what})`);
      }
    }
  }
  if (sub === "log" || sub === "rev-list") {
    for (let i = 1; i < vals.length; i++) {
      const v = vals[i] ?? "";
      const pat = v === "-S" || v === "-G" ? vals[i + 1] : v.startsWith("-S") || v.startsWith("-G") ? v.slice(2) : undefined;
      if (pat !== undefined && (isSecretPattern(pat) || isSecretName(pat))) {
        acc.tag(TAGS.secrets);
        acc.find(`git ${sub} searches the whole history for ${pat}, a credential`);
        break;
      }
    }
    if (vals.includes("-p") || vals.includes("--patch")) flowOf(info).historySource = "the git history";
  }
  // `git log -p -- secrets.env`, `git show HEAD~3:.env`: every committed version of a credential file, printed.
  const patches = sub === "log" && vals.some((v) => v === "-p" || v === "--patch" || v === "-u");
  if (patches || sub === "show" || sub === "blame") {
    const dd = vals.indexOf("--");
    for (const v of dd >= 0 ? vals.slice(dd + 1) : pos.slice(1)) {
      const colon = sub === "show" ? v.indexOf(":") : -1;
      const file = colon >= 0 ? v.slice(colon + 1) : v;
      const what = dd >= 0 || colon >= 0 ? credentialFileOf(file) : credentialMentionOf(file);
      if (what) {
        acc.tag(TAGS.secrets);
        acc.find(`git ${sub} prints committed versions of ${file} (${what})`);
        break;
      }
    }
  }
  if (sub === "add" || sub === "stage") {
    for (const v of pos.slice(1)) {
      const s = secretOf(v)?.what ?? moreSecretFile(v);
      if (s) {
        acc.tag(TAGS.secrets);
        acc.find(`git add stages ${v} (${s}): the credentials end up in the repository's history`);
        break;
      }
    }
  }
}

/** Assignments that hand credentials to someone else's program or socket. */
export const SECRET_ASSIGNS = new Map<string, { tags: string[]; why: string }>([
  [
    "BASH_XTRACEFD",
    {
      tags: [TAGS.secrets],
      why: "BASH_XTRACEFD=$V sends the shell's trace of every command, with its expanded arguments and tokens, to that descriptor",
    },
  ],
  ["SSH_AUTH_SOCK", { tags: [TAGS.secrets], why: "uses the ssh agent at $V: whatever runs can sign in with the keys it holds" }],
  [
    "GIT_ASKPASS",
    { tags: [TAGS.secrets, TAGS.unclassified], why: "GIT_ASKPASS=$V runs that program to ask for passwords, so it sees them" },
  ],
  [
    "SSH_ASKPASS",
    { tags: [TAGS.secrets, TAGS.unclassified], why: "SSH_ASKPASS=$V runs that program to ask for passphrases, so it sees them" },
  ],
]);
