import { TAGS } from "../common";
import { privateStateFinding, privateStateOf } from "../home-data";
import { parseOptions } from "../options";
import type { Acc } from "./index";
import { secretOf } from "./paths";
import type { Redirect, Word } from "./tokenize";

/**
 * Reads of another application's private per-user state (see
 * src/packs/home-data.ts): only the operands a command reads the content of
 * are judged, so listing (`ls ~/.config`), `stat`, `test -f`, `mkdir`,
 * `cd`, removal, writes and `source ~/.bashrc` (runs it, prints nothing) do
 * not count, nor does a copy's destination or an archive being created.
 */

/** How a reader's arguments are laid out. */
interface ReaderSpec {
  /** Short options that take a value. */
  valueShort: string;
  /** Long options that take the next word as their value. */
  valueLong: readonly string[];
  /** The first operand is a pattern, a program or a script, not a file (unless one came with -e/-f). */
  programFirst?: readonly string[];
  /** The last operand is the destination (cp, scp, rsync), unless given with one of these options. */
  lastIsTarget?: readonly string[];
}

const PLAIN: ReaderSpec = { valueShort: "", valueLong: [] };
/** Commands that print, page or compare the content of every file operand. */
const PRINTERS = "cat tac nl less more most bat batcat view strings rev zcat zless zmore bzcat xzcat zstdcat lz4cat".split(" ");
/** The grep family: `-e`/`-f` give the pattern, else it is the first operand. */
const GREP: ReaderSpec = {
  valueShort: "efmABCdDg",
  valueLong: ["regexp", "file", "max-count", "after-context", "before-context", "context", "glob", "type", "type-not", "iglob"],
  programFirst: ["e", "f", "regexp", "file"],
};

const SPECS = new Map<string, ReaderSpec>([
  ...PRINTERS.map((n): [string, ReaderSpec] => [n, PLAIN]),
  ["head", { valueShort: "nc", valueLong: ["lines", "bytes"] }],
  ["tail", { valueShort: "ncs", valueLong: ["lines", "bytes", "sleep-interval", "pid"] }],
  ["sort", { valueShort: "oktST", valueLong: ["output", "key", "field-separator", "buffer-size", "temporary-directory"] }],
  ["cut", { valueShort: "dfcb", valueLong: ["delimiter", "fields", "characters", "bytes"] }],
  ["paste", { valueShort: "d", valueLong: ["delimiters"] }],
  ["column", { valueShort: "sotcN", valueLong: [] }],
  ["fold", { valueShort: "w", valueLong: ["width"] }],
  ["iconv", { valueShort: "fto", valueLong: ["from-code", "to-code", "output"] }],
  ["diff", { valueShort: "UCxXIFSL", valueLong: ["label", "exclude", "exclude-from", "ignore-matching-lines"] }],
  ["sdiff", { valueShort: "ow", valueLong: ["output", "width"] }],
  ["cmp", { valueShort: "in", valueLong: ["ignore-initial", "bytes"] }],
  ["comm", PLAIN],
  ["base64", { valueShort: "wbo", valueLong: ["wrap", "output"] }],
  ["base32", { valueShort: "w", valueLong: ["wrap"] }],
  ["xxd", { valueShort: "cglson", valueLong: [] }],
  ["od", { valueShort: "AjNtw", valueLong: ["address-radix", "skip-bytes", "read-bytes", "format", "width"] }],
  ["hexdump", { valueShort: "nsef", valueLong: [] }],
  ["grep", GREP],
  ["egrep", GREP],
  ["fgrep", GREP],
  ["rg", { ...GREP, valueShort: "efmABCgtTjM" }],
  ["ag", GREP],
  ["ack", GREP],
  ["awk", { valueShort: "Fvf", valueLong: [], programFirst: ["f"] }],
  ["gawk", { valueShort: "Fvf", valueLong: [], programFirst: ["f"] }],
  ["sed", { valueShort: "ef", valueLong: ["expression", "file"], programFirst: ["e", "f", "expression", "file"] }],
  ["jq", { valueShort: "fL", valueLong: ["from-file", "indent"], programFirst: ["f", "from-file"] }],
  ["yq", { valueShort: "fIop", valueLong: ["from-file", "indent", "output-format", "input-format"], programFirst: ["from-file"] }],
  ["sqlite3", { valueShort: "", valueLong: [] }],
  ["vim", { valueShort: "cSTuUiwW", valueLong: ["cmd"] }],
  ["vi", { valueShort: "cSTuUiwW", valueLong: ["cmd"] }],
  ["nvim", { valueShort: "cSTuUiwW", valueLong: ["cmd"] }],
  ["nano", PLAIN],
  ["cp", { valueShort: "tS", valueLong: ["target-directory", "suffix"], lastIsTarget: ["t", "target-directory"] }],
  [
    "scp",
    {
      valueShort: "cFiJlPoSDX",
      valueLong: [],
      lastIsTarget: [],
    },
  ],
  [
    "rsync",
    {
      valueShort: "efTBM",
      valueLong: [
        "rsh",
        "exclude",
        "include",
        "filter",
        "exclude-from",
        "include-from",
        "files-from",
        "temp-dir",
        "log-file",
        "password-file",
        "backup-dir",
        "suffix",
        "chmod",
        "chown",
        "remote-option",
        "port",
        "bwlimit",
        "max-size",
        "min-size",
        "timeout",
        "partial-dir",
        "compare-dest",
        "copy-dest",
        "link-dest",
      ],
      lastIsTarget: [],
    },
  ],
]);

/** grep and friends that print names, counts or nothing: they search the content but do not show it. */
const GREP_QUIET_SHORT = ["l", "L", "c", "q"];
const GREP_QUIET_LONG = ["files-with-matches", "files-without-match", "count", "quiet", "silent"];

/** The operands of `name` whose content it reads, or null when it reads none (or is not a reader). */
function readOperands(name: string, vals: readonly string[]): string[] | null {
  if (name === "tar") return tarSources(vals);
  if (name === "zip") return zipSources(vals);
  if (name === "dd") return vals.filter((v) => v.startsWith("if=")).map((v) => v.slice(3));
  if (
    (name === "gzip" || name === "bzip2" || name === "xz" || name === "zstd") &&
    vals.some((v) => /^-[a-zA-Z0-9]*c/.test(v) || v === "--stdout")
  )
    return vals.filter((v) => !v.startsWith("-"));
  if (name === "plutil") return vals.includes("-p") || vals.includes("-extract") ? vals.filter((v) => !v.startsWith("-")) : null;
  const spec = SPECS.get(name);
  if (!spec) return null;
  const o = parseOptions(vals, spec);
  const pos = [...o.pos, ...o.tail];
  if (name === "sed" && (o.short.has("i") || o.long.has("in-place") || [...o.long.keys()].some((k) => k.startsWith("in-place"))))
    return null;
  if (name === "xxd") return o.short.has("r") ? null : pos.slice(0, 1);
  if (name === "yq" && (o.short.has("i") || o.long.has("inplace"))) return null;
  if (name === "yq" && (pos[0] === "e" || pos[0] === "eval" || pos[0] === "ea" || pos[0] === "eval-all")) pos.shift();
  if (spec === GREP || name === "rg") {
    const quiet = GREP_QUIET_SHORT.some((c) => o.short.has(c)) || GREP_QUIET_LONG.some((l) => o.long.has(l));
    if (quiet) return null;
  }
  if (spec.programFirst && !spec.programFirst.some((k) => (k.length === 1 ? o.short.has(k) : o.long.has(k)))) pos.shift();
  if (name === "sqlite3") return sqlPrintsNothing(pos.slice(1)) ? null : pos.slice(0, 1);
  if (name === "base64" && typeof o.short.get("i") === "string") pos.push(String(o.short.get("i")));
  if (spec.lastIsTarget && !spec.lastIsTarget.some((k) => (k.length === 1 ? o.short.has(k) : o.long.has(k)))) pos.pop();
  return pos;
}

/** Statements that change a database and print nothing (without RETURNING). */
const WRITE_ONLY_SQL = /^(?:insert|update|delete|replace|create|drop|alter|vacuum|reindex|analyze|begin|commit|end|rollback)\b/;

/**
 * `sqlite3 db "INSERT ..."`: every statement given changes the database and none prints rows.
 * No statement (interactive, or SQL on standard input), a dot command or anything else reads it.
 */
function sqlPrintsNothing(sql: readonly string[]): boolean {
  if (sql.length === 0) return false;
  for (const text of sql) {
    const lower = text.toLowerCase();
    if (lower.includes("returning")) return false;
    for (const stmt of lower.split(";")) {
      const t = stmt.trim();
      if (t !== "" && !WRITE_ONLY_SQL.test(t)) return false;
    }
  }
  return true;
}

/** `tar`: in create mode the files archived (and a `-C` directory they are taken from); in extract mode the archive. */
function tarSources(vals: readonly string[]): string[] | null {
  let create = false;
  let list = false;
  let archive: string | null = null;
  let dir: string | null = null;
  const pos: string[] = [];
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i] ?? "";
    if (v.startsWith("--")) {
      if (v === "--create" || v === "--append" || v === "--update") create = true;
      else if (v === "--list") list = true;
      else if (v.startsWith("--file=")) archive = v.slice(7);
      else if (v === "--file") archive = vals[++i] ?? null;
      else if (v.startsWith("--directory=")) dir = v.slice(12);
      else if (v === "--directory") dir = vals[++i] ?? null;
      continue;
    }
    // The first word may be the bundled letters without a dash (`tar czf out.tgz dir`).
    const bundle = v.startsWith("-") ? v.slice(1) : i === 0 ? v : null;
    if (bundle !== null && /^[A-Za-z]+$/.test(bundle)) {
      if (/[cru]/.test(bundle)) create = true;
      if (bundle.includes("t")) list = true;
      if (bundle.includes("f")) archive = vals[++i] ?? null;
      if (bundle.includes("C")) dir = vals[++i] ?? null;
      continue;
    }
    pos.push(v);
  }
  if (list) return null;
  if (create) return dir === null ? pos : [...pos, dir];
  return archive === null ? [] : [archive];
}

/** `zip [-r] out.zip files...`: the files after the archive, up to `-x`/`-i` patterns. */
function zipSources(vals: readonly string[]): string[] {
  const pos: string[] = [];
  for (const v of vals) {
    if (v === "-x" || v === "-i" || v === "--exclude" || v === "--include") break;
    if (!v.startsWith("-")) pos.push(v);
  }
  return pos.slice(1);
}

/** Senders that read a local file into what they send: `curl -d @f`, `-F x=@f`, `-T f`, `wget --post-file=f`. */
function sentFiles(name: string, vals: readonly string[]): string[] {
  const out: string[] = [];
  if (name === "curl") {
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i] ?? "";
      const next = vals[i + 1] ?? "";
      if (v === "-T" || v === "--upload-file") out.push(next);
      else if (v.startsWith("-d@")) out.push(v.slice(3));
      else if (v === "-d" || v.startsWith("--data") || v === "-F" || v === "--form") {
        const at = next.indexOf("@");
        if (at >= 0) out.push(next.slice(at + 1).split(";")[0] ?? "");
      }
    }
  } else if (name === "wget") {
    for (const v of vals) if (v.startsWith("--post-file=") || v.startsWith("--body-file=")) out.push(v.slice(v.indexOf("=") + 1));
  }
  return out;
}

/** `xclip -o`, `xsel -o`/`-b -o`/`-ob`, `pbpaste`, `wl-paste`: the clipboard is read. */
export function readsClipboard(name: string, vals: readonly string[]): boolean {
  if (name === "pbpaste" || name === "wl-paste") return true;
  if (name === "xclip") return vals.some((v) => v === "-o" || v === "-out" || v === "-output" || v === "--output");
  if (name === "xsel") return vals.some((v) => v === "--output" || (!v.startsWith("--") && /^-[a-z]*o[a-z]*$/.test(v)));
  return false;
}

/** Commands that send what arrives on their standard input to another host (`nc host 9 < file`). */
const STDIN_SENDERS = new Set(["curl", "nc", "ncat", "netcat", "socat", "telnet", "ssh", "openssl"]);

/** A file fed on standard input (`cat < f`, `base64 < f`, `nc host 9 < f`) to a command that prints or sends it. */
function stdinFiles(name: string, redirects: readonly Redirect[]): string[] {
  if (!SPECS.has(name) && !STDIN_SENDERS.has(name) && name !== "gzip" && name !== "xz" && name !== "zstd" && name !== "bzip2") return [];
  const out: string[] = [];
  for (const r of redirects) if (r.op === "<" && r.target && (r.fd === "" || r.fd === "0")) out.push(r.target.value);
  return out;
}

/** `find DIR... -exec cat {} +`: the directories whose files a reader run by find reads, or none. */
function findReadRoots(vals: readonly string[]): string[] {
  let i = 0;
  while (i < vals.length && (vals[i] === "-H" || vals[i] === "-L" || vals[i] === "-P")) i++;
  const roots: string[] = [];
  for (; i < vals.length; i++) {
    const v = vals[i] ?? "";
    if (v.startsWith("-") || v === "(" || v === "!") break;
    roots.push(v);
  }
  for (; i < vals.length; i++) {
    const v = vals[i] ?? "";
    if (v !== "-exec" && v !== "-execdir" && v !== "-ok" && v !== "-okdir") continue;
    const cmd = vals[i + 1] ?? "";
    const base = cmd.slice(cmd.lastIndexOf("/") + 1);
    if (SPECS.has(base) || base === "tar" || base === "zip") return roots;
  }
  return [];
}

/** Start directories in private state that a `find` on the line lists, for `find DIR | xargs cat` later on it. */
const foundUnder = new WeakMap<Acc, { root: string; where: string }>();

/** `find DIR...`: the first start directory in private per-user state, remembered for an `xargs` reader later on the line. */
function rememberFindRoots(vals: readonly string[], acc: Acc): void {
  if (foundUnder.has(acc)) return;
  for (const v of vals) {
    if (v.startsWith("-") || v === "(" || v === "!") break;
    const where = privateStateOf(v);
    if (where) {
      foundUnder.set(acc, { root: v, where });
      return;
    }
  }
}

/** The sudo and doas rules: reading them maps who may become root, as an intruder does (TAGS.recon). */
const SUDO_RULES = /^\/(?:private\/)?etc\/(?:sudoers(?:\.d(?:\/[^/]+)?)?|doas\.conf)$/;

/** Every name past readsClipboard that homeDataCommand reads files for (readOperands, sentFiles, stdinFiles, find, xargs). */
const FILE_READERS = new Set([
  ...SPECS.keys(),
  ...STDIN_SENDERS,
  "tar",
  "zip",
  "dd",
  "gzip",
  "bzip2",
  "xz",
  "zstd",
  "plutil",
  "curl",
  "wget",
  "find",
]);

/** Called for every classified command (see afterCommand in flow.ts). */
export function homeDataCommand(
  name: string,
  args: readonly Word[],
  acc: Acc,
  redirects: readonly Redirect[],
  vals: readonly string[] = args.map((w) => w.value),
): void {
  if (readsClipboard(name, vals)) {
    acc.tag(TAGS.secrets);
    acc.find(`${name} reads the clipboard, where people paste passwords and tokens`);
    return;
  }
  // Any other command has no files to judge.
  if (!FILE_READERS.has(name)) return;
  const files = [...(readOperands(name, vals) ?? []), ...sentFiles(name, vals), ...stdinFiles(name, redirects)];
  if (name === "find") {
    files.push(...findReadRoots(vals));
    rememberFindRoots(vals.slice(vals[0] === "-H" || vals[0] === "-L" || vals[0] === "-P" ? 1 : 0), acc);
  }
  // `find ~/.config -type f | xargs cat`: the reader's files are the ones find listed.
  const found = foundUnder.get(acc);
  if (found && acc.stdinTargets === "stdin" && (SPECS.has(name) || name === "tar" || name === "zip")) {
    acc.tag(TAGS.secrets);
    acc.find(privateStateFinding(`${name}, run by xargs, reads the files find lists under`, found.root, found.where));
    return;
  }
  for (const f of files) {
    // Known credential files have their own finding; an scp/rsync remote (`host:~/.x`) is judged as its path.
    if (f === "" || f.startsWith("-") || secretOf(f)) continue;
    const colon = f.indexOf(":");
    const slash = f.indexOf("/");
    // `C:\Users\x` is a drive letter, not a host; a remote path without a root is relative to that host's home.
    const remote = colon > 1 && (slash < 0 || colon < slash) && !f.includes("://");
    const rest = remote ? f.slice(colon + 1) : f;
    const path = remote && !rest.startsWith("/") && !rest.startsWith("~") ? `~/${rest}` : rest;
    if (SUDO_RULES.test(path)) {
      acc.tag(TAGS.recon);
      acc.find(`${name} reads ${f}, the sudo rules: who may run what as root`);
      continue;
    }
    const where = privateStateOf(path);
    if (where) {
      acc.tag(TAGS.secrets);
      acc.find(privateStateFinding(name === "find" ? "find -exec reads the files under" : `${name} reads`, f, where));
      return;
    }
  }
}
