import { TAGS } from "../common";
import { lit, writeTargets } from "./commands";
import type { Acc, CmdInfo } from "./index";
import type { Redirect, Word } from "./tokenize";

/**
 * Everyday tools the main tables did not know, taught by the forms their
 * documentation calls side-effect free (list, show, status, a metadata dump,
 * encrypting to a recipient) and the forms that write, delete or reveal
 * secrets. Fail closed: any other verb or option keeps the command
 * `unclassified`, so an unfamiliar form is never read as safe.
 */

type ToolHandler = (name: string, args: readonly Word[], acc: Acc, depth: number, redirects: readonly Redirect[]) => CmdInfo;

function capOf(acc: Acc, name: string): void {
  // replaceAll costs even when there is nothing to replace.
  acc.lastCapability = `shell.${name.includes(".") ? name.replaceAll(".", "-") : name}`;
}

function unknownForm(acc: Acc, name: string, what: string): void {
  acc.tag(TAGS.unclassified);
  const w = what.length > 60 ? `${what.slice(0, 60)}…` : what;
  acc.find(w === "" ? `${name} with no verb is not a form Cordon knows` : `${name} ${w} is not a form of ${name} Cordon knows`);
}

const HELP = new Set(["--version", "-version", "-V", "-v", "--help", "-h", "help", "version"]);

/** Only asks for the version or usage (`tool --version`, `tool help`). */
function helpOnly(args: readonly Word[]): boolean {
  return args.length > 0 && args.length <= 2 && args.every((w) => HELP.has(w.value));
}

/** The words of a command line that are not options (values of options count as words: callers only look at the first ones). */
function verbs(args: readonly Word[]): string[] {
  return args.map((w) => w.value).filter((v) => !v.startsWith("-"));
}

interface VerbSpec {
  /** Verbs that only read. */
  read: readonly string[];
  /** Verbs that change state in ordinary ways. */
  write?: readonly string[];
  /** Verbs that delete. */
  destructive?: readonly string[];
  /** Verbs that print stored credentials. */
  secret?: readonly string[];
  /** Group words before the verb (`pc index list`). */
  nouns?: readonly string[];
  /** Every call talks to a server. */
  network?: boolean;
  /** What the tool manages, for findings. */
  what: string;
  /** Turns the verb word into the verb (`fine_tuning.jobs.list` → `list`). */
  verbOf?: (words: readonly string[]) => string;
}

/** A CLI whose verb decides; an unknown verb stays unclassified (unlike verbTool in commands.ts, which calls it a write). */
const verbCli =
  (s: VerbSpec): ToolHandler =>
  (name, args, acc) => {
    capOf(acc, name);
    if (s.network) acc.tag(TAGS.network);
    if (helpOnly(args)) {
      acc.tag(TAGS.read);
      return { name };
    }
    const w = verbs(args);
    const verb = s.verbOf ? s.verbOf(w) : s.nouns?.includes(w[0] ?? "") ? (w[1] ?? "") : (w[0] ?? "");
    if (s.destructive?.includes(verb)) {
      acc.tag(TAGS.write, TAGS.destructive);
      acc.find(`${name} ${verb} deletes ${s.what}`);
    } else if (s.secret?.includes(verb)) {
      acc.tag(TAGS.read, TAGS.secrets);
      acc.find(`${name} ${verb} prints stored credentials`);
    } else if (s.write?.includes(verb)) acc.tag(TAGS.write);
    else if (s.read.includes(verb)) {
      acc.tag(TAGS.read);
      acc.find(`${name} ${verb} only reads ${s.what}`);
    } else unknownForm(acc, name, verb);
    return { name, ...(s.network ? { networkSink: true } : {}) };
  };

/** `openai api models.list`, `openai fine_tuning.jobs.retrieve ID`: the last part of the dotted resource path is the verb. */
function openaiVerb(w: readonly string[]): string {
  const res = w[0] === "api" || w[0] === "tools" ? (w[1] ?? "") : (w[0] ?? "");
  if (!res.includes(".")) return "";
  return res.slice(res.lastIndexOf(".") + 1);
}

/** macOS `security`: a keychain search list or default is only shown unless `-s` sets it. */
const macSecurity: ToolHandler = (name, args, acc, depth, redirects) => {
  const w = verbs(args);
  const sets = args.some((x) => x.value === "-s");
  if (sets && (w[0] === "list-keychains" || w[0] === "default-keychain" || w[0] === "login-keychain")) {
    capOf(acc, name);
    acc.tag(TAGS.write);
    acc.find(`security ${w[0]} -s changes the keychain search list`);
    return { name };
  }
  return SECURITY(name, args, acc, depth, redirects);
};
const SECURITY = verbCli({
  read: [
    "list-keychains",
    "default-keychain",
    "login-keychain",
    "show-keychain-info",
    "find-certificate",
    "find-identity",
    "verify-cert",
    "dump-trust-settings",
    "error",
  ],
  secret: ["find-generic-password", "find-internet-password", "find-key", "dump-keychain", "export"],
  destructive: ["delete-keychain", "delete-generic-password", "delete-internet-password", "delete-certificate", "delete-identity"],
  write: ["create-keychain", "lock-keychain", "add-generic-password", "add-internet-password", "add-certificates", "import"],
  what: "the keychain",
});

/**
 * exiftool: without an assignment (`-TAG=value`, `-TAG<SRC`) it prints
 * metadata. Options that write files, or evaluate Perl (`-if`, `-p` formats,
 * `-config`, `-api`, `-userParam`), leave it unclassified.
 */
const EXIF_RISKY = [
  "-o",
  "-out",
  "-w",
  "-p",
  "-printformat",
  "-if",
  "-config",
  "-api",
  "-userparam",
  "-tagsfromfile",
  "-geotag",
  "-geosync",
  "-geotime",
  "-overwrite_original",
  "-delete_original",
  "-restore_original",
  "-stay_open",
  "-execute",
  "-srcfile",
  "-@",
  "-z",
  "-textout",
  "-tagout",
  "-efile",
  "-use",
  "-fileorder",
];
const exiftool: ToolHandler = (name, args, acc) => {
  capOf(acc, name);
  const files: Word[] = [];
  let assigns = false;
  for (const x of args) {
    const v = x.value;
    if (!v.startsWith("-")) {
      files.push(x);
      continue;
    }
    const lower = v.toLowerCase();
    if (x.expanded) {
      // `-Comment="$(cat creds)"`: what is hidden in the metadata comes from elsewhere.
      unknownForm(acc, name, "with a tag value from an expansion");
      return { name };
    }
    if (lower.includes("=") || lower.includes("<") || lower.includes(">")) assigns = true;
    else if (EXIF_RISKY.some((r) => lower === r || (lower.startsWith(r) && /^[0-9!+]/.test(lower.slice(r.length))))) {
      unknownForm(acc, name, v);
      return { name };
    }
  }
  if (assigns) {
    writeTargets(files, { name, acc, depth: 0, redirects: [] }, "exiftool rewrites the metadata of");
    acc.find("exiftool writes metadata tags into the files");
  } else {
    acc.tag(TAGS.read);
    acc.find("exiftool only prints metadata");
  }
  return { name };
};

/** The value of `-o FILE` / `--output FILE` / `--output=FILE` / `-oFILE`. */
function optionValue(args: readonly Word[], short: string, long: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? "";
    if ((short !== "" && v === short) || v === long) return args[i + 1]?.value;
    if (v.startsWith(`${long}=`)) return v.slice(long.length + 1);
    if (short !== "" && v.startsWith(short) && v.length > short.length && !v.startsWith("--")) return v.slice(short.length);
  }
  return undefined;
}

const AGE_FLAGS = new Set([
  "-e",
  "--encrypt",
  "-d",
  "--decrypt",
  "-r",
  "--recipient",
  "-R",
  "--recipients-file",
  "-i",
  "--identity",
  "-a",
  "--armor",
  "-p",
  "--passphrase",
  "-o",
  "--output",
  "-j",
]);
const AGE_VALUED = new Set(["-r", "--recipient", "-R", "--recipients-file", "-i", "--identity", "-o", "--output", "-j"]);

/** age: encrypting to a recipient reads the input; decrypting uses a private identity and prints the plaintext. */
const age: ToolHandler = (name, args, acc) => {
  capOf(acc, name);
  if (helpOnly(args)) {
    acc.tag(TAGS.read);
    return { name };
  }
  let decrypt = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? "";
    if (!v.startsWith("-") || v === "-") continue;
    const flag = v.includes("=") ? v.slice(0, v.indexOf("=")) : v;
    if (!AGE_FLAGS.has(flag)) {
      unknownForm(acc, name, v);
      return { name };
    }
    if (flag === "-d" || flag === "--decrypt") decrypt = true;
    if (AGE_VALUED.has(flag) && !v.includes("=")) i++;
  }
  const out = optionValue(args, "-o", "--output");
  if (out !== undefined && out !== "-") writeTargets([lit(out)], { name, acc, depth: 0, redirects: [] }, "age writes to");
  if (decrypt) {
    acc.tag(TAGS.read, TAGS.secrets);
    acc.find("age --decrypt uses a private identity and reveals the encrypted data");
  } else {
    acc.tag(TAGS.read);
    acc.find("age encrypts to a public recipient; nothing secret is shown");
  }
  return { name };
};

/** sops: encrypting prints ciphertext (in place with -i); decrypting, editing or running with the secrets reveals them. */
const sops: ToolHandler = (name, args, acc) => {
  capOf(acc, name);
  if (helpOnly(args)) {
    acc.tag(TAGS.read);
    return { name };
  }
  const vals = args.map((x) => x.value);
  const w = verbs(args);
  const has = (...f: string[]) => vals.some((v) => f.includes(v) || f.some((x) => x.startsWith("--") && v.startsWith(`${x}=`)));
  if (has("--kms", "--gcp-kms", "--azure-kv", "--hc-vault-transit") || vals.some((v) => v.startsWith("arn:aws:kms"))) acc.tag(TAGS.network);
  const encrypt = has("-e", "--encrypt") || w[0] === "encrypt";
  const decrypt = has("-d", "--decrypt", "--extract") || ["decrypt", "edit", "exec-env", "exec-file"].includes(w[0] ?? "");
  if (decrypt) {
    acc.tag(TAGS.read, TAGS.secrets);
    acc.find("sops decrypts the secrets file and reveals its values");
  } else if (encrypt) {
    if (has("-i", "--in-place")) acc.tag(TAGS.write);
    else acc.tag(TAGS.read);
    const out = optionValue(args, "", "--output");
    if (out !== undefined) writeTargets([lit(out)], { name, acc, depth: 0, redirects: [] }, "sops writes to");
    acc.find("sops encrypts the file; nothing secret is shown");
  } else if (w[0] === "filestatus") acc.tag(TAGS.read);
  else unknownForm(acc, name, w[0] ?? vals[0] ?? "");
  return { name };
};

/** The host a database client is pointed at (`-h HOST`, `-hHOST`, `--host=HOST`, `--host HOST`). */
function dbHost(args: readonly Word[]): string | undefined {
  const h = optionValue(args, "-h", "--host");
  if (h === undefined || h === "") return undefined;
  // mongodump --host rs0/a:27017,b:27017
  const first = (h.includes("/") ? h.slice(h.indexOf("/") + 1) : h).split(",")[0] ?? "";
  return first.includes(":") && !first.startsWith("[") ? first.slice(0, first.indexOf(":")) : first;
}

/**
 * mysqldump, pg_dump, pg_dumpall, mongodump: read a database and print it
 * (or write it to the output file). A dump of every database carries the
 * accounts' password hashes.
 */
const dbDump: ToolHandler = (name, args, acc) => {
  capOf(acc, name);
  if (helpOnly(args)) {
    acc.tag(TAGS.read);
    return { name };
  }
  acc.tag(TAGS.read);
  const host = dbHost(args);
  if (host) acc.host(host);
  const vals = args.map((x) => x.value);
  const cx = { name, acc, depth: 0, redirects: [] as readonly Redirect[] };
  let out: string | undefined;
  let everything = false;
  if (name === "mysqldump") {
    out = optionValue(args, "-r", "--result-file");
    everything = vals.some((v) => v === "-A" || v === "--all-databases") || verbs(args).includes("mysql");
  } else if (name === "pg_dump") out = optionValue(args, "-f", "--file");
  else if (name === "pg_dumpall") {
    out = optionValue(args, "-f", "--file");
    everything = !vals.some((v) => ["--no-role-passwords", "-a", "--data-only", "-t", "--tablespaces-only"].includes(v));
  } else {
    // mongodump writes a dump/ directory unless told to print an archive to stdout.
    out = optionValue(args, "-o", "--out");
    if (out === undefined && !vals.some((v) => v === "--archive")) out = "dump";
    everything = !vals.some((v) => v === "-d" || v.startsWith("--db") || v.startsWith("--uri") || v.startsWith("--nsInclude"));
  }
  if (out !== undefined && out !== "-") writeTargets([lit(out)], cx, `${name} writes the dump to`);
  if (everything) {
    acc.tag(TAGS.secrets);
    acc.find(`${name} dumps every database, the accounts' password hashes included`);
  } else acc.find(`${name} reads the database and prints a copy of it`);
  return { name };
};

/** `open https://...` / `xdg-open https://...`: shows a web page in the browser. Anything else opens or runs something unseen. */
export const openHandler: ToolHandler = (name, args, acc) => {
  capOf(acc, name);
  const urls = args.length > 0 && args.every((x) => !x.expanded && /^https?:\/\/[^\s]+$/i.test(x.value));
  if (!urls) {
    acc.tag(TAGS.unclassified);
    acc.find(`${name} opens or runs something Cordon cannot see`);
    return { name };
  }
  acc.tag(TAGS.read, TAGS.network);
  for (const x of args) {
    const m = /^https?:\/\/([^/:?#@]+@)?(\[[^\]]+\]|[^/:?#]+)/i.exec(x.value);
    if (m?.[2]) acc.host(m[2].toLowerCase());
  }
  acc.find(`${name} opens a web page in the browser`);
  return { name };
};

/**
 * keyctl, the Linux kernel keyring: listing and describing keys maps where credentials are kept (recon);
 * printing a payload reveals it; `add` and `update` put the payload on the command line. `session NAME cmd`
 * runs a program, `request` may start the request-key helper, `setperm`/`chown` change who may read keys:
 * those and any other operation stay unclassified.
 */
const KEYCTL_READ = new Set(["show", "list", "rlist", "describe", "rdescribe", "search", "supports", "security"]);
const KEYCTL_SECRET = new Set(["print", "pipe", "read"]);
const KEYCTL_WRITE = new Set(["new_session", "newring", "link", "timeout"]);
const KEYCTL_DESTRUCTIVE = new Set(["unlink", "revoke", "invalidate", "clear", "purge"]);
const keyctl: ToolHandler = (name, args, acc) => {
  capOf(acc, name);
  const op = args[0]?.value ?? "";
  if (KEYCTL_READ.has(op)) {
    acc.tag(TAGS.read, TAGS.recon);
    acc.find(`keyctl ${op} lists or describes the keys of a keyring (where credentials are kept), not their payloads`);
  } else if (KEYCTL_SECRET.has(op)) {
    acc.tag(TAGS.read, TAGS.secrets);
    acc.find(`keyctl ${op} prints the payload of a key`);
  } else if (op === "add" || op === "update") {
    acc.tag(TAGS.write, TAGS.secrets);
    acc.find(`keyctl ${op} puts a key's payload on the command line`);
  } else if (op === "padd" || op === "pupdate" || KEYCTL_WRITE.has(op)) acc.tag(TAGS.write);
  else if (KEYCTL_DESTRUCTIVE.has(op)) {
    acc.tag(TAGS.write, TAGS.destructive);
    acc.find(`keyctl ${op} removes keys from the keyring`);
  } else unknownForm(acc, name, op);
  return { name };
};

const TOOLS = new Map<string, ToolHandler>([
  ["security", macSecurity],
  ["keyctl", keyctl],
  ["exiftool", exiftool],
  ["age", age],
  ["rage", age],
  ["sops", sops],
  ["mysqldump", dbDump],
  ["mariadb-dump", dbDump],
  ["pg_dump", dbDump],
  ["pg_dumpall", dbDump],
  ["mongodump", dbDump],
  [
    "openai",
    verbCli({
      // create/upload send prompts or local files to the service: left unclassified.
      read: ["list", "retrieve", "list_events"],
      destructive: ["delete"],
      network: true,
      what: "OpenAI account resources",
      verbOf: openaiVerb,
    }),
  ],
  [
    "pinecone",
    verbCli({
      read: [
        "list",
        "list-indexes",
        "list-collections",
        "describe",
        "describe-index",
        "describe-index-stats",
        "describe-collection",
        "whoami",
      ],
      // query/fetch read stored records across tenants and upsert uploads local data: left unclassified.
      destructive: ["delete", "delete-index", "delete-collection"],
      write: ["create", "create-index", "create-collection", "configure", "configure-index"],
      nouns: ["index", "collection", "backup", "project"],
      network: true,
      what: "vector indexes",
    }),
  ],
  [
    "circleci",
    verbCli({
      read: ["diagnostic", "version", "validate", "process", "list", "info", "source", "whoami"],
      destructive: ["delete"],
      nouns: ["config", "orb", "context", "namespace", "project"],
      network: true,
      what: "CircleCI settings",
    }),
  ],
  ["lms", verbCli({ read: ["ls", "ps", "status", "version"], what: "local models" })],
  [
    "msfdb",
    verbCli({
      read: ["status"],
      write: ["init", "reinit", "start", "stop", "restart"],
      destructive: ["delete"],
      what: "the Metasploit database",
    }),
  ],
]);

/** The handler for a tool this module knows, if any. */
export function readOnlyTool(name: string): ToolHandler | undefined {
  return TOOLS.get(name);
}

const GREP_FAMILY = new Set(["grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack", "git-grep"]);
/** grep options whose value is a pattern (text, not a file). */
const GREP_PATTERN_OPTS = new Set(["-e", "--regexp"]);
/** grep options that take a value (skipped when looking for the pattern operand). */
const GREP_VALUED = new Set([
  "-f",
  "--file",
  "-m",
  "--max-count",
  "-A",
  "-B",
  "-C",
  "--context",
  "-d",
  "-D",
  "-g",
  "--glob",
  "-t",
  "--type",
  "--include",
  "--exclude",
  "--exclude-dir",
  "--color",
  "--colour",
  "-j",
  "--threads",
  "-M",
  "--max-columns",
  "--label",
]);
/** curl options whose value is sent as the request body: text unless it names a file (`@file`, `name=@file`, `name=<file`). */
const CURL_BODY_OPTS = new Set([
  "-d",
  "--data",
  "--data-raw",
  "--data-binary",
  "--data-ascii",
  "--data-urlencode",
  "--json",
  "-F",
  "--form",
  "--form-string",
]);

/**
 * Option tables differ between grep, rg and ag (`ag -t` takes no value): a word that looks like a
 * path is never taken for the pattern, so a misread can only add a secret, never hide one.
 */
function patternLike(args: readonly Word[], i: number): boolean {
  const v = args[i]?.value ?? "";
  return !v.includes("/") && !v.startsWith("~");
}

/**
 * Arguments that are text the command searches for or sends, not files it
 * reads: grep's pattern (`grep id_rsa ~/.ssh/config` reads the config, not a
 * key) and a literal curl body. A credential path named there is not read.
 */
export function textArgs(name: string, args: readonly Word[]): Set<number> | null {
  if (GREP_FAMILY.has(name)) {
    const out = new Set<number>();
    let explicit = false;
    let first = -1;
    for (let i = 0; i < args.length; i++) {
      const v = args[i]?.value ?? "";
      if (v === "--") {
        if (first < 0 && !explicit && i + 1 < args.length) first = i + 1;
        break;
      }
      if (GREP_PATTERN_OPTS.has(v)) {
        explicit = true;
        if (i + 1 < args.length && patternLike(args, i + 1)) out.add(i + 1);
        i++;
        continue;
      }
      if (v.startsWith("--regexp=") || (v.startsWith("-e") && v.length > 2 && !v.startsWith("--"))) {
        explicit = true;
        if (patternLike(args, i)) out.add(i);
        continue;
      }
      if (v === "-f" || v === "--file" || v.startsWith("--file=")) explicit = true;
      if (GREP_VALUED.has(v)) {
        i++;
        continue;
      }
      if (v.startsWith("-") && v !== "-") continue;
      if (first < 0) first = i;
    }
    if (!explicit && first >= 0 && patternLike(args, first)) out.add(first);
    return out;
  }
  if (name === "curl") {
    const out = new Set<number>();
    for (let i = 0; i + 1 < args.length; i++) {
      const v = args[i]?.value ?? "";
      if (!CURL_BODY_OPTS.has(v)) continue;
      const body = args[i + 1];
      if (body && !body.value.includes("@") && !body.value.includes("<")) out.add(i + 1);
      i++;
    }
    return out;
  }
  return null;
}
