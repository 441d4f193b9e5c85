import type { Derived } from "../../engine/types";
import { derived, isProduction, TAGS } from "../common";
import { newCredentialAction } from "../credentials";
import { privateStateFinding, privateStateOf } from "../home-data";
import { databaseUrlRisks, endpointRisks, isDatabaseUrl, schemeOf } from "../http/endpoints";
import { hostRisk, httpPack } from "../http/index";
import type { Pack, PackContext } from "../index";
import { injectionFindings, scanInjection } from "../injection";
import { classifyKubernetes, manifestRisks } from "../kubernetes/index";
import { secretsFindings } from "../secrets/index";
import { classifyShellLine } from "../shell/index";
import { isImportantFile, isScratch, normPath } from "../shell/paths";
import { sqlPack } from "../sql/index";
import { readsContent } from "./home-data";
import { kubectlArgvOf } from "./kubernetes";
import { canonicalPath, credentialOf, privilegedFileAt, setsSetuid, writeTargetAt } from "./paths";

/**
 * The MCP pack: an MCP `tools/call` (`{kind: "mcp", server, tool, arguments,
 * annotations?}`) into `mcp.<server>.<tool>` with risk tags.
 *
 * Tool annotations come from the MCP server, which Cordon does not trust, so
 * they can only add risk: `destructiveHint` adds `destructive`,
 * `openWorldHint` adds `network`, and `readOnlyHint` earns `read` only when
 * nothing in the arguments says otherwise. The tool's name is read the same
 * way, as a hint that can only add risk: a destroying verb (`delete_file`)
 * adds `destructive`, a shell tool's arguments are command lines, a fetch
 * tool's bare host is a URL, a reader's paths are not written, and a
 * Kubernetes tool (`kubectl_delete`, `pods_exec`) is judged as the kubectl
 * command it stands for.
 *
 * What the arguments carry is classified by the other packs: shell commands,
 * SQL and URLs found in them (by argument name or by content) go to the
 * shell, sql and http classifiers, Kubernetes manifests to the kubernetes
 * pack, and the secrets scanner looks at everything. File paths are checked
 * for credentials, privileged sockets and what writing there does
 * (`./paths.ts`); URLs for endpoints that hand out credentials, `file:`
 * resources and database connection strings (`../http/endpoints.ts`). A local file
 * and a network destination in a call that sends is exfiltration.
 */

/** How deep into nested arguments the walk goes; deeper values make the call unclassified. */
export const MAX_ARG_DEPTH = 12;
/** How many values (strings, numbers, objects ...) the walk visits at most. */
export const MAX_ARG_NODES = 2000;
/** Longest single string handed to a classifier (the shell pack's own limit is 64 KiB). */
const MAX_STRING = 64 * 1024;

/** Argument names whose string value is a shell command line. */
const SHELL_KEYS = new Set([
  "command",
  "cmd",
  "commandline",
  "command_line",
  "commands",
  "script",
  "shell",
  "bash",
  "sh",
  "run",
  "exec",
  "shell_command",
  "bash_command",
  "terminal_command",
]);
/** Argument names whose string value is SQL, always. */
const SQL_KEYS = new Set(["sql", "statement", "statements", "stmt", "sql_query", "raw_sql", "ddl", "dml"]);
/** Argument names whose string value is a URL. */
const URL_KEYS = new Set(["url", "uri", "endpoint", "href", "link", "webhook", "base_url", "baseurl"]);
/** Argument names whose string value is a file path. */
const PATH_KEYS = new Set([
  "path",
  "attachment",
  "attachments",
  "paths",
  "file",
  "files",
  "filename",
  "file_path",
  "filepath",
  "source",
  "destination",
  "dest",
  "target_path",
  "directory",
  "dir",
]);

/**
 * Programs whose name at the start of a string makes it a command line even
 * under an innocent argument name (`{input: "rm -rf /"}`).
 */
const COMMANDS = new Set([
  "rm",
  "rmdir",
  "sudo",
  "su",
  "doas",
  "pkexec",
  "dd",
  "mkfs",
  "shred",
  "wipefs",
  "truncate",
  "chmod",
  "chown",
  "curl",
  "wget",
  "bash",
  "sh",
  "zsh",
  "dash",
  "ksh",
  "fish",
  "eval",
  "exec",
  "env",
  "xargs",
  "find",
  "kubectl",
  "helm",
  "git",
  "docker",
  "podman",
  "terraform",
  "aws",
  "gcloud",
  "az",
  "python",
  "python3",
  "node",
  "perl",
  "ruby",
  "scp",
  "rsync",
  "ssh",
  "nc",
  "ncat",
  "crontab",
  "redis-cli",
  "psql",
  "mysql",
  "mongo",
  "mongosh",
  "base64",
  "timeout",
  "nohup",
  "nice",
  "cat",
  "cp",
  "mv",
  "tar",
  "echo",
  "printf",
  "source",
  "npm",
  "npx",
  "pip",
  "systemctl",
  "iptables",
]);

/**
 * Where a write changes the machine rather than a project. MCP file tools take
 * absolute paths inside the project (`/home/user/project/src/a.ts`), so an
 * absolute path alone says nothing; these locations do.
 */
const SYSTEM_DIRS = [
  "/etc",
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/boot",
  "/root",
  "/sys",
  "/proc",
  "/dev",
  "/var",
  "/System",
  "/Library",
  "/private/etc",
];

/** A tool name that says it only looks (`read_file`, `list_directory`, `get_issue`). */
const READ_VERB =
  /^(?:read|get|list|search|find|view|show|describe|cat|head|tail|stat|fetch|query|lookup|count|check|open|load|inspect|preview|ls|tree|diff)(?:_|-|$|[A-Z])/i;

const CAMEL_STEP = /([a-z0-9])([A-Z])/g;
const NOT_WORD = /[^a-z0-9]+/;
const nonEmpty = (w: string): boolean => w !== "";

/** The words of a tool name: `run_terminal_command`, `shellExec`, `fs.delete-file` → lower-case words. */
function toolWords(tool: string): string[] {
  return tool.replace(CAMEL_STEP, "$1 $2").toLowerCase().split(NOT_WORD).filter(nonEmpty);
}

/** Words that make a tool a shell: its string arguments are command lines, whatever they are called. */
const SHELL_TOOL_WORDS = new Set(["shell", "bash", "sh", "zsh", "terminal", "powershell", "pwsh", "cmd", "commandline"]);
/** `command` makes a shell tool only with a verb that runs it (`run_command`, not `create_command`). */
const COMMAND_WORDS = new Set(["command", "commands"]);
const RUN_WORDS = new Set(["run", "exec", "execute", "invoke", "spawn", "eval"]);
/** Arguments of a shell tool that are not the command (where and how long it runs). */
const SHELL_TOOL_META = new Set([
  "cwd",
  "workdir",
  "working_directory",
  "workingdirectory",
  "dir",
  "directory",
  "timeout",
  "timeout_ms",
  "description",
  "reason",
  "shell",
  "env",
  "name",
  "id",
  "session",
  "session_id",
]);
/** Verbs that destroy what they name: `delete_file`, `drop_table`, `pods_delete`, `terminateInstance`. */
const DESTROY_WORDS = new Set([
  "delete",
  "remove",
  "rm",
  "unlink",
  "rmdir",
  "destroy",
  "drop",
  "purge",
  "wipe",
  "erase",
  "truncate",
  "uninstall",
  "terminate",
  "kill",
  "shred",
  "prune",
]);
/** Words of tools that fetch or open a URL: a bare host in any argument is where they go. */
const FETCH_TOOL_WORDS = new Set([
  "fetch",
  "http",
  "https",
  "url",
  "browse",
  "browser",
  "navigate",
  "curl",
  "wget",
  "download",
  "scrape",
  "crawl",
  "webpage",
]);
/** Argument names whose value names an environment, namespace, cluster, database or host. */
const PRODUCTION_KEYS = new Set([
  "namespace",
  "ns",
  "context",
  "kubecontext",
  "kube_context",
  "cluster",
  "environment",
  "env",
  "stage",
  "database",
  "db",
  "dbname",
  "db_name",
  "database_name",
  "host",
  "hostname",
  "project",
  "branch",
]);
/** Words of tools that send what they are given somewhere (`upload_file`, `send_email`, `share_document`). */
const SEND_WORDS = new Set(["upload", "send", "post", "share", "email", "mail", "publish", "transfer", "attach", "submit"]);
/** Argument names of a sending tool's recipient. */
const RECIPIENT_KEYS = new Set(["to", "recipient", "recipients", "cc", "bcc", "email", "address"]);
const SENDING_METHODS = new Set(["POST", "PUT", "PATCH"]);
/** Words of tools that change file permissions. */
const PERMISSION_TOOL_WORDS = new Set(["chmod", "permission", "permissions", "perms", "mode"]);
/** A bare host, address or host/path a fetch tool would reach (`169.254.169.254/latest`, `localhost:8080`). */
const BARE_HOST =
  /^\s*(?:\[[0-9a-f:.]+\]|localhost|[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9]{6,10}|0x[0-9a-f]{1,8}|(?:[a-z0-9-]+\.)+[a-z]{2,})(?::[0-9]{1,5})?(?:[/?#]\S*)?\s*$/i;

/** What a tool's name says about it; names come from the server, so they can only add risk. */
interface ToolKind {
  /** Named as a reader (`read_file`): writes to system paths are not assumed. */
  reader: boolean;
  shell: boolean;
  fetch: boolean;
  permissions: boolean;
  /** The destroying verb in the name, if any. */
  destroys: string | null;
  /** Named as sending what it is given (`upload_file`, `send_email`). */
  sends: boolean;
  words: string[];
}

function toolKindOf(tool: string, readOnlyHint: boolean, args: unknown): ToolKind {
  const words = toolWords(tool);
  const reader = readOnlyHint || READ_VERB.test(tool);
  const destroys = reader ? null : (words.find((w) => DESTROY_WORDS.has(w)) ?? null);
  // When the command has an argument of its own (`command`, `script`), the others are not commands.
  const named = args !== null && typeof args === "object" && Object.keys(args).some((k) => SHELL_KEYS.has(k.toLowerCase()));
  return {
    reader,
    shell:
      !named &&
      !reader &&
      (words.some((w) => SHELL_TOOL_WORDS.has(w)) || (words.some((w) => COMMAND_WORDS.has(w)) && words.some((w) => RUN_WORDS.has(w)))),
    fetch: words.some((w) => FETCH_TOOL_WORDS.has(w)),
    permissions: words.some((w) => PERMISSION_TOOL_WORDS.has(w)),
    destroys,
    sends: !reader && words.some((w) => SEND_WORDS.has(w)),
    words,
  };
}

const HOME_DOTFILE = /^\/(?:home|Users)\/[^/]+\/\./;
const USER_LIBRARY = /^\/Users\/[^/]+\/Library\//;

/** True when writing `p` changes the system or the user's configuration. */
function isSystemPath(p: string): boolean {
  const n = normPath(p.trim());
  if (isScratch(n)) return false;
  if (isImportantFile(n)) return true;
  // Dotfiles in a home directory are the user's configuration (~/.bashrc, /home/u/.config/...).
  if (n.startsWith("~/.") || HOME_DOTFILE.test(n)) return true;
  // The filesystem root itself, and macOS per-user application data (~/Library), are not a project.
  if (n === "/" || n.startsWith("~/Library/") || USER_LIBRARY.test(n)) return true;
  for (const d of SYSTEM_DIRS) if (n === d || (n.startsWith(d) && n.charCodeAt(d.length) === 47)) return true;
  return false;
}

/** SQL at the start of a string, shaped like a statement rather than prose ("DROP by the office"). */
const SQL_SHAPE =
  /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:select\b[\s\S]*\bfrom\b|insert\s+into\b|update\s+[\w."`[\]]+\s+set\b|delete\s+from\b|delete\s+[\w."`]+\s*(?:;|$)|drop\s+(?:table|database|schema|view|index|function|procedure|trigger|sequence|user|role|materialized|type|extension)\b|truncate\s+(?:table\s+)?[\w."`]|alter\s+(?:table|database|schema|user|role|view|index)\b|create\s+(?:table|database|schema|index|unique|view|user|role|function|or\s+replace|trigger|extension)\b|grant\s+\w|revoke\s+\w|with\s+(?:recursive\s+)?\w+\s+as\s*\(|merge\s+into\b|replace\s+into\b|copy\s+\w|begin\s*;|vacuum\b)/i;

/** A string that is nothing but a URL with a scheme (`http://…`, `file:///…`, `gopher://…`). */
const URL_SHAPE = /^\s*[a-z][a-z0-9+.-]*:\/\/\S*\s*$/i;

/** Keep `[a-z0-9_-]` for the capability; anything else becomes `_`. */
function sanitise(name: unknown): string {
  const s = typeof name === "string" ? name.toLowerCase().replace(/[^a-z0-9_-]/g, "_") : "";
  return s === "" ? "unknown" : s.slice(0, 128);
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const FIRST_WORD = /^\s*(?:#!\s*\S*\/)?(\S+)/;
const QUOTING = /['"\\]/g;

function firstProgram(s: string): string {
  const m = FIRST_WORD.exec(s);
  if (!m?.[1]) return "";
  // Quotes and backslashes inside a command name change nothing for the shell (r''m, \rm).
  const word = m[1].replace(QUOTING, "");
  // `root:x:0:0::/root:/bin/bash` (a passwd line) or `key=value` is data, not a program path.
  if (word.includes(":") || word.includes("=")) return "";
  const base = word.slice(word.lastIndexOf("/") + 1);
  return base.startsWith("mkfs") ? "mkfs" : base;
}

type Target = "shell" | "sql" | "url" | "path" | null;

const ONE_WORD = /^\s*\S+\s*$/;

/** What a string argument is, from its name (`k`, lower case) first and its content second (and the tool's kind). */
function targetOf(k: string, value: string, kind: ToolKind): Target {
  if (SHELL_KEYS.has(k)) return "shell";
  // A shell tool's arguments are command lines unless they say where or how long it runs.
  if (kind.shell && !SHELL_TOOL_META.has(k) && !URL_SHAPE.test(value)) return "shell";
  if (SQL_KEYS.has(k)) return "sql";
  if ((URL_KEYS.has(k) || k.endsWith("url") || k.endsWith("_uri")) && ONE_WORD.test(value)) return "url";
  if (URL_SHAPE.test(value)) return "url";
  // Any other name (a search `query`, a note's `text`) is SQL only when it reads like a statement.
  if (SQL_SHAPE.test(value)) return "sql";
  if (value.startsWith("#!") || COMMANDS.has(firstProgram(value))) return "shell";
  if (PATH_KEYS.has(k) || k.endsWith("_path") || k.endsWith("_file")) return "path";
  // A fetch tool goes wherever a bare host in its arguments says.
  if (kind.fetch && BARE_HOST.test(value)) return "url";
  return null;
}

interface Walk {
  tags: Set<string>;
  findings: string[];
  nodes: number;
  truncated: boolean;
  /** Some argument did something other than read. */
  wrote: boolean;
  /** Local files named in the arguments (a few). */
  files: string[];
  /** Network destinations named: URL hosts, e-mail recipients (a few). */
  destinations: string[];
  /** Some URL argument is sent a body (POST, PUT, PATCH). */
  posts: boolean;
}

/** Remember at most this many files and destinations for the exfiltration check. */
const MAX_REMEMBERED = 5;
function remember(list: string[], v: string): void {
  if (list.length < MAX_REMEMBERED && !list.includes(v)) list.push(v);
}

function merge(w: Walk, path: string, d: Derived): void {
  for (const t of d.risk_tags) {
    // Whether the tool call as a whole reads or writes is decided below, from all the arguments.
    if (t === TAGS.read) continue;
    if (t === TAGS.write || t === TAGS.destructive) w.wrote = true;
    w.tags.add(t);
  }
  for (const f of d.findings) w.findings.push(`${path}: ${f}`);
}

function unavailable(w: Walk, path: string, what: string, err: unknown): void {
  w.tags.add(TAGS.unclassified);
  const why = err instanceof Error ? err.message : String(err);
  w.findings.push(`${path}: the ${what} classifier is not available (${why.slice(0, 200)})`);
}

/** The checks on a file path argument: credentials, privileged sockets, and what writing there does. */
function classifyPath(w: Walk, path: string, value: string, kind: ToolKind, method = "GET"): void {
  const secret = credentialOf(value);
  if (secret) {
    w.tags.add(TAGS.secrets);
    w.findings.push(`${path}: ${value} holds ${secret}`);
  } else if (readsContent(kind.words, kind.reader, kind.sends)) {
    const where = privateStateOf(value);
    if (where) {
      w.tags.add(TAGS.secrets);
      w.findings.push(`${path}: ${privateStateFinding("reads", value, where)}`);
    }
  }
  // The privileged-file and write-target checks read the same canonical form of the path.
  const canonical = canonicalPath(value);
  const privileged = privilegedFileAt(canonical);
  if (privileged) {
    w.tags.add(TAGS.privilege);
    w.findings.push(`${path}: ${value} is ${privileged}`);
  }
  // A reader reads the path; a tool that sends (an upload, a POST with a file) reads it too.
  if (kind.reader || kind.sends || SENDING_METHODS.has(method.toUpperCase())) return;
  if (isSystemPath(value)) {
    w.tags.add(TAGS.outside_workspace);
    w.findings.push(`${path}: ${value} is a system or configuration path`);
  }
  const hit = writeTargetAt(canonical);
  if (hit) {
    w.tags.add(hit.tag);
    w.findings.push(`${path}: writing ${value}, which ${hit.what}`);
  }
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function classifyString(w: Walk, path: string, key: string, value: string, method: string, kind: ToolKind, ctx: PackContext): void {
  if (value.trim() === "") return;
  if (value.length <= MAX_STRING) {
    const manifest = manifestRisks(value);
    if (manifest) {
      for (const t of manifest.tags) w.tags.add(t);
      for (const f of manifest.findings) w.findings.push(`${path}: ${f}`);
    }
  }
  const k = key.toLowerCase();
  if (PRODUCTION_KEYS.has(k) && value.length <= 256 && isProduction(value.trim(), ctx)) {
    w.tags.add(TAGS.production);
    w.findings.push(`${path}: ${value.trim()} is in the production environment`);
  }
  if (kind.permissions && (k === "mode" || k === "permissions" || k === "perms" || k === "chmod") && setsSetuid(value)) {
    w.tags.add(TAGS.privilege);
    w.findings.push(`${path}: mode ${value} sets the setuid or setgid bit`);
  }
  if (kind.sends && RECIPIENT_KEYS.has(k) && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(value.trim())) remember(w.destinations, value.trim());
  const target = targetOf(k, value, kind);
  if (target === null) return;
  if (value.length > MAX_STRING) {
    w.tags.add(TAGS.unclassified);
    w.findings.push(`${path}: ${value.length} characters, too long to classify`);
    return;
  }
  switch (target) {
    case "shell":
      try {
        if (typeof classifyShellLine !== "function") throw new Error("shell pack missing");
        merge(w, path, classifyShellLine(value, ctx));
      } catch (err) {
        unavailable(w, path, "shell", err);
      }
      return;
    case "sql":
      try {
        const d = sqlPack.classify({ kind: "sql", statement: value }, ctx);
        if (d) merge(w, path, d);
        else throw new Error("sql pack declined the statement");
      } catch (err) {
        unavailable(w, path, "sql", err);
      }
      return;
    case "url":
      if (isDatabaseUrl(value)) {
        const db = databaseUrlRisks(value, hostRisk);
        for (const t of db.tags) w.tags.add(t);
        for (const f of db.findings) w.findings.push(`${path}: ${f}`);
        if (db.host && isProduction(db.host, ctx)) {
          w.tags.add(TAGS.production);
          w.findings.push(`${path}: the database host ${db.host} is in the production environment`);
        }
        if (db.filePath !== null) classifyPath(w, path, db.filePath, kind);
        return;
      }
      // A `file:` URI is how MCP names local resources; only a fetch tool turns it into a request.
      if (!kind.fetch && schemeOf(value) === "file") {
        const local = endpointRisks(value.trim(), "GET").filePath;
        if (local !== null) {
          classifyPath(w, path, local, kind);
          return;
        }
      }
      try {
        // Fetch tools add a scheme to a bare host; so does Cordon, so `169.254.169.254/x` is still judged.
        const url = HAS_SCHEME.test(value.trim()) ? value.trim() : `https://${value.trim()}`;
        const d = httpPack.classify({ kind: "http", method, url }, ctx);
        if (d) merge(w, path, d);
        else throw new Error("http pack declined the request");
        if (d.labels.host) remember(w.destinations, d.labels.host);
        if (SENDING_METHODS.has(method.toUpperCase())) w.posts = true;
        // The http pack judged the endpoint; the file a `file:` URL names is read by the tool.
        const local = endpointRisks(url, method.toUpperCase()).filePath;
        if (local !== null) classifyPath(w, path, local, kind);
      } catch (err) {
        unavailable(w, path, "http", err);
      }
      return;
    case "path":
      try {
        classifyPath(w, path, value, kind, method);
        remember(w.files, value.trim());
      } catch (err) {
        unavailable(w, path, "path", err);
      }
      return;
  }
}

/** A key written after a dot in a finding's path; any other is quoted in brackets. */
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** Visit every value of the arguments, bounded in depth and count. */
function walk(w: Walk, value: unknown, path: string, key: string, depth: number, method: string, kind: ToolKind, ctx: PackContext): void {
  if (w.truncated) return;
  if (++w.nodes > MAX_ARG_NODES || depth > MAX_ARG_DEPTH) {
    w.truncated = true;
    return;
  }
  if (typeof value === "string") {
    classifyString(w, path, key, value, method, kind, ctx);
    return;
  }
  if (Array.isArray(value)) {
    // An argv array under a command-like name is one command line (["bash", "-c", "rm -rf /"]).
    if (SHELL_KEYS.has(key.toLowerCase()) && value.length > 0 && value.every((v) => typeof v === "string")) {
      classifyString(w, path, key, value.map((v) => shellQuote(String(v))).join(" "), method, kind, ctx);
      w.nodes += value.length;
      return;
    }
    // As forEach would: the length read once, holes skipped.
    for (let i = 0, n = value.length; i < n; i++) if (i in value) walk(w, value[i], `${path}[${i}]`, key, depth + 1, method, kind, ctx);
    return;
  }
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    // A sibling `method` says how a URL in the same object is used.
    const m = typeof obj.method === "string" ? obj.method : method;
    for (const [k, v] of Object.entries(obj)) {
      const p = PLAIN_KEY.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
      walk(w, v, p, k, depth + 1, m, kind, ctx);
    }
  }
}

interface Hints {
  annotated: boolean;
  readOnly: boolean;
  destructive: boolean;
  openWorld: boolean;
}

/**
 * The MCP tool annotations, with the spec's defaults: once a server annotates a
 * tool and does not say it is read-only, `destructiveHint` defaults to true.
 * A call without any annotations says nothing either way.
 */
function hintsOf(raw: unknown): Hints {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return { annotated: false, readOnly: false, destructive: false, openWorld: false };
  const a = raw as Record<string, unknown>;
  const readOnly = a.readOnlyHint === true;
  const destructive = a.destructiveHint === true || (!readOnly && a.destructiveHint !== false);
  return { annotated: true, readOnly, destructive, openWorld: a.openWorldHint === true };
}

const WORD_BREAKS = /[_-]+/g;

/** Classify an MCP `tools/call`. Exported for the CLI and benchmarks. */
export function classifyMcp(action: Record<string, unknown>, ctx: PackContext): Derived {
  const server = sanitise(action.server);
  const tool = sanitise(action.tool);
  const capability = `mcp.${server}.${tool}`;
  const labels: Record<string, string> = { server, tool };
  const hints = hintsOf(action.annotations);
  labels.annotated = String(hints.annotated);
  const w: Walk = {
    tags: new Set(),
    findings: [],
    nodes: 0,
    truncated: false,
    wrote: false,
    files: [],
    destinations: [],
    posts: false,
  };
  if (typeof action.server !== "string" || typeof action.tool !== "string" || action.tool === "") {
    w.tags.add(TAGS.unclassified);
    w.findings.push("MCP call without a server and tool name");
  }
  if (hints.destructive) {
    w.tags.add(TAGS.destructive);
    w.findings.push(
      hints.readOnly ? "tool is annotated destructive" : "tool is annotated destructive (or not read-only, which MCP reads as destructive)",
    );
  }
  if (hints.openWorld) w.tags.add(TAGS.network);

  const args = action.arguments;
  const kind = toolKindOf(typeof action.tool === "string" ? action.tool : "", hints.readOnly, args);
  if (kind.destroys) {
    w.tags.add(TAGS.destructive);
    w.findings.push(`the tool's name says it destroys what it is given (${kind.destroys})`);
  }
  // A Kubernetes MCP tool is judged as the kubectl command it stands for.
  const kubectl = kubectlArgvOf(kind.words, args);
  if (kubectl) {
    try {
      const d = classifyKubernetes(kubectl, ctx);
      merge(w, "tool", d);
      labels.kubectl = kubectl.map(shellQuote).join(" ").slice(0, 256);
    } catch (err) {
      unavailable(w, "tool", "kubernetes", err);
    }
  }
  if (args !== undefined && args !== null) {
    // Tags for writing to a system path need a tool that writes: not one annotated or named as a reader.
    walk(w, args, "arguments", "", 0, "GET", kind, ctx);
    // A local file and a network destination in one call that sends: the file leaves the machine.
    if (w.files.length > 0 && w.destinations.length > 0 && (kind.sends || w.posts)) {
      w.tags.add(TAGS.exfiltration);
      w.findings.push(`sends ${w.files.join(", ")} to ${w.destinations.join(", ")}`);
    }
    if (w.truncated) {
      w.tags.add(TAGS.unclassified);
      w.findings.push(`arguments nest deeper than ${MAX_ARG_DEPTH} or hold more than ${MAX_ARG_NODES} values; not all were classified`);
    }
    try {
      if (typeof secretsFindings !== "function") throw new Error("secrets pack missing");
      const found = secretsFindings(args);
      for (const t of found.tags) w.tags.add(t);
      for (const f of found.findings) w.findings.push(`arguments: ${f}`);
    } catch (err) {
      unavailable(w, "arguments", "secrets", err);
    }
    // A tool that writes or sends: text in its arguments that addresses the model reading it.
    if (!kind.reader) {
      const found = injectionFindings(args, "arguments");
      for (const t of found.tags) w.tags.add(t);
      w.findings.push(...found.findings);
    }
  }

  // A tool named as an instruction (`ignore_previous_instructions`): the server put that text in front of the model.
  const named = typeof action.tool === "string" ? scanInjection(action.tool.replace(WORD_BREAKS, " ")) : null;
  if (named) {
    w.tags.add(TAGS.prompt_injection);
    w.findings.push(`the tool's name is text that addresses an AI model: ${named.what}`);
  }
  // read only when the server says so and nothing in the arguments changes anything.
  const changes = w.wrote || w.tags.has(TAGS.destructive) || w.tags.has(TAGS.remote_exec) || w.tags.has(TAGS.privilege);
  w.tags.add(hints.readOnly && !changes ? TAGS.read : TAGS.write);
  if (hints.readOnly && changes) w.findings.push("tool is annotated read-only, but its arguments change state");
  return derived(capability, w.tags, labels, w.findings);
}

/** Classifies MCP tool calls: annotations as hints that only add risk, and every argument through the other packs. */
export const mcpPack: Pack = {
  name: "mcp",
  summary:
    "MCP tool calls: mcp.<server>.<tool>; annotations only add risk; shell commands, SQL, URLs and file paths in the arguments classified by the shell, sql and http packs; secrets in arguments",
  classify(action: Record<string, unknown>, ctx: PackContext): Derived | null {
    if (action.kind !== "mcp") return null;
    newCredentialAction();
    return classifyMcp(action, ctx);
  },
  overlay: `rules:
  - id: mcp-remote-exec
    match:
      capability: ["mcp.**"]
      risk_tags_any: [remote-exec, ssrf]
    decision: DENY
    reason: MCP tool calls that run code from the network or reach internal addresses are blocked
  - id: mcp-destructive-production
    match:
      capability: ["mcp.**"]
      risk_tags: [destructive, production]
    decision: DENY
    reason: Destructive MCP tool calls against production are blocked
  - id: mcp-destructive-approval
    match:
      capability: ["mcp.**"]
      risk_tags_any: [destructive, privilege, history-rewrite]
    decision: REQUIRE_APPROVAL
    reason: Destructive MCP tool calls need a human to approve them
    approval:
      approvers: [group:security]
      quorum: 1
      ttl: 30m
  - id: mcp-secrets-approval
    match:
      capability: ["mcp.**"]
      risk_tags: [secrets]
    decision: REQUIRE_APPROVAL
    reason: MCP tool calls that carry or read credentials need a human to approve them
    approval:
      approvers: [group:security]
      quorum: 1
      ttl: 30m
`,
};
