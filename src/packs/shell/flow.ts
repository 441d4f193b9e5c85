import { TAGS } from "../common";
import { binaryEditCommand } from "./binaries";
import { channelsCommand } from "./channels";
import { copiesPipe, plantedText } from "./clipboard";
import { credentialsCommand, credentialsGit, isSecretName, isSecretPattern, SECRET_ASSIGNS } from "./credentials";
import { exfiltrationCommand } from "./exfiltration";
import { extraAssign, extraCommand, extraGit } from "./extra";
import { homeDataCommand } from "./home-data";
import type { Acc, CmdInfo } from "./index";
import { injectionCommand } from "./injection";
import { noteAssignment } from "./inline-code";
import { localAssign, localCommand, localGit } from "./local";
import { isScratchOrRelative } from "./paths";
import { RECON_HANDLERS, reconCommand, securityProductIn } from "./recon";
import { supplyChainAssign, supplyChainCommand, supplyChainGit } from "./supply-chain";
import type { Redirect, Script, Word } from "./tokenize";

/**
 * Where data goes on a line: what each command prints, sends or filters,
 * joined up per pipeline. The per-command rules live in exfiltration.ts,
 * credentials.ts, recon.ts and supply-chain.ts; this module keeps what they
 * learn about each command (beside its CmdInfo) and reads whole pipelines.
 */

/** What a command does with the data flowing through it. */
export interface Flow {
  /** Sends what arrives on its standard input to a network destination (the host, or ""). */
  sendsStdin?: string;
  /** Prints credentials on standard output (what, for findings). */
  printsSecret?: string;
  /** A filter (grep and friends) and whether its pattern asks for secrets. */
  filter?: "secret" | "plain";
  /** The filter's pattern. */
  pattern?: string;
  /** Passes its input on to its output, reformatted or cut (head, jq, sort, base64). */
  passThrough?: boolean;
  /** Prints logs or history, where pasted tokens and passwords end up (what, for findings). */
  historySource?: string;
  /** Lists processes (ps). */
  processList?: boolean;
  /** Copies what arrives through the pipe into the clipboard (pbcopy, wl-copy, xclip, xsel). */
  copiesPipe?: boolean;
}

const substitutions = new WeakSet<Script>();
/** Substitutions whose output is a credential (`$(printenv TOKEN)`), for the command that prints it. */
const capturedSecrets = new WeakMap<Script, string>();

/** What credential a substitution's output holds, if any. */
export function capturedSecretOf(s: Script): string | undefined {
  return capturedSecrets.get(s);
}

/** The flow record of a command, created on first use. */
export function flowOf(info: CmdInfo): Flow {
  let f = info.flow;
  if (!f) {
    f = {};
    info.flow = f;
  }
  return f;
}

/** `$(...)` and backticks: their output is captured by the command around them, not shown. */
export function markSubstitution(s: Script): void {
  substitutions.add(s);
}

/** A minimal reader of an argument list: option words (with a value when listed) and operands. */
export interface Operands {
  opts: Map<string, string | true>;
  pos: Word[];
}

export function operands(args: readonly Word[], valued: ReadonlySet<string>): Operands {
  const opts = new Map<string, string | true>();
  const pos: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    const a = w.value;
    if (a === "--") {
      pos.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("-") && a.length > 1 && !w.procSub) {
      const eq = a.startsWith("--") ? a.indexOf("=") : -1;
      if (eq > 0) opts.set(a.slice(0, eq), a.slice(eq + 1));
      else if (valued.has(a) && i + 1 < args.length) opts.set(a, args[++i]?.value ?? "");
      else opts.set(a, true);
      continue;
    }
    pos.push(w);
  }
  return { opts, pos };
}

/** An option's value as a string (`--x=v`, `--x v`), or undefined. */
export function optValue(o: Operands, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = o.opts.get(n);
    if (typeof v === "string") return v;
  }
  return undefined;
}

const FILTERS = new Set(["grep", "egrep", "fgrep", "rg", "ag", "ack", "zgrep"]);
const PASS_THROUGH = new Set(
  "head tail sort uniq cut tr jq yq sed awk column fold fmt nl base64 base32 xxd od hexdump cat tac less more tee strings gzip zstd xz bzip2 rev expand paste".split(
    " ",
  ),
);

/** Options of the filters whose value is not the pattern. */
const GREP_VALUED = new Set(["-m", "-A", "-B", "-C", "-f", "--max-count", "--include", "--exclude", "-g", "-t"]);

/** The pattern a grep-like filter searches for: `-e PAT`, `--regexp=PAT`, or the first operand. */
function grepPattern(args: readonly Word[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]?.value ?? "";
    if (a === "-e" || a === "--regexp") return args[i + 1]?.value;
    if (a.startsWith("--regexp=")) return a.slice(9);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]?.value ?? "";
    if (GREP_VALUED.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) continue;
    return a;
  }
  return undefined;
}

const SED_PRINT = /^I?p$/;
const AWK_PRINT = /^(\s*\{\s*print(\s+\$0)?\s*;?\s*\})?$/;

/** The regular expression of `sed -n '/RE/p'` or `awk '/RE/'` (`{print}` allowed), the lines they keep. */
function printedPattern(name: string, args: readonly Word[]): string | undefined {
  if (name !== "sed" && name !== "awk") return undefined;
  const vals = args.map((w) => w.value);
  const script = vals.find((v) => v.startsWith("/"));
  if (script === undefined) return undefined;
  const end = script.lastIndexOf("/");
  if (end <= 0) return undefined;
  const rest = script.slice(end + 1);
  if (name === "sed" && vals.includes("-n") && SED_PRINT.test(rest)) return script.slice(1, end);
  if (name === "awk" && AWK_PRINT.test(rest)) return script.slice(1, end);
  return undefined;
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INVERT_FLAG = /^-[a-zA-Z]*v/;

/** Called by classifyCommand once a command was classified: adds what the rules of this helper see. */
export function afterCommand(name: string, args: readonly Word[], acc: Acc, info: CmdInfo, redirects: readonly Redirect[]): void {
  // `set -x` sets an option; only a bare `set` lists the variables.
  if (name === "set" && args.length > 0) info.envDump = false;
  if (FILTERS.has(name)) {
    const pat = grepPattern(args);
    if (pat !== undefined) {
      // Only a plain name narrows the output (`grep PATH`); `-v`, `.`, `=` and other patterns may keep every line.
      if (isSecretPattern(pat)) flowOf(info).filter = "secret";
      else if (PLAIN_NAME.test(pat) && !args.some((w) => w.value === "--invert-match" || INVERT_FLAG.test(w.value)))
        flowOf(info).filter = "plain";
      flowOf(info).pattern = pat;
    }
    flowOf(info).passThrough = true;
  } else if (PASS_THROUGH.has(name)) {
    flowOf(info).passThrough = true;
    // `sed -n '/bearer/Ip'`, `awk '/password/'`: a line filter like grep.
    const pat = printedPattern(name, args);
    if (pat !== undefined && isSecretPattern(pat)) flowOf(info).filter = "secret";
  }
  if (copiesPipe(name, args, redirects)) flowOf(info).copiesPipe = true;
  // The words' values, read once for the detectors below (none of them changes a word).
  const vals: readonly string[] = args.map((w) => w.value);
  exfiltrationCommand(name, args, acc, info, redirects);
  credentialsCommand(name, args, acc, info, redirects, vals);
  reconCommand(name, args, acc, info, vals);
  supplyChainCommand(name, args, acc, info, redirects, vals);
  extraCommand(name, args, acc, redirects, vals);
  injectionCommand(name, args, acc, redirects);
  homeDataCommand(name, args, acc, redirects, vals);
  channelsCommand(name, args, acc, info, redirects);
  binaryEditCommand(name, args, acc, vals);
  localCommand(name, args, acc, vals);
}

/** Called after a git command was classified by the git pack. */
export function afterGit(words: readonly Word[], acc: Acc, info: CmdInfo): void {
  credentialsGit(words, acc, info);
  supplyChainGit(words, acc);
  extraGit(words, acc);
  injectionCommand("git", words.slice(1), acc, []);
  localGit(words, acc);
}

/** Called after a command handed to another pack (helm, kubectl) was classified. */
export function afterHandedOff(words: readonly Word[], acc: Acc, info: CmdInfo): void {
  const name = words[0]?.value ?? "";
  supplyChainCommand(name.slice(name.lastIndexOf("/") + 1), words.slice(1), acc, info, []);
}

/** Variables that make an interpreter load or run extra code (as `X=v cmd` prefixes too). */
const INTERPRETER_CODE_VARS = new Set([
  "PERL5OPT",
  "RUBYOPT",
  "NODE_OPTIONS",
  "PYTHONSTARTUP",
  "PYTHONHOME",
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
]);
const INTERPRETER_SEARCH_VARS = new Set(["PYTHONPATH", "NODE_PATH", "PERL5LIB", "RUBYLIB", "CLASSPATH"]);
/** An empty entry means the current directory. */
const riskyDir = (d: string): boolean => d === "" || isScratchOrRelative(d);

/** NODE_OPTIONS flags that tune the runtime and cannot load code (anything else leaves the line unclassified). */
const HARMLESS_NODE_OPTION =
  /^--(?:(?:max[-_]old[-_]space[-_]size|max[-_]semi[-_]space[-_]size|stack[-_]size|stack-trace-limit)=\d+|enable-source-maps|no-warnings|no-deprecation|trace-warnings|trace-deprecation|trace-uncaught|openssl-legacy-provider|use-openssl-ca|use-system-ca|preserve-symlinks|dns-result-order=(?:ipv4first|ipv6first|verbatim)|unhandled-rejections=(?:strict|warn|none|throw|warn-with-error-code))$/;

export const onlyTunes = (name: string, value: string): boolean =>
  name === "NODE_OPTIONS" &&
  value.trim() !== "" &&
  value
    .trim()
    .split(/\s+/)
    .every((o) => HARMLESS_NODE_OPTION.test(o));

/** Values of a secret-named variable that are not a credential: settings, paths, references, stand-ins. */
const NOT_A_CREDENTIAL = /^(?:true|false|yes|no|on|off|none|null|nil|empty|unset|0|1|-|\.|)$/i;
/** A literal value in `TOKEN=value` that is a credential: not an expansion, a path, a setting or a stand-in (`xxxx`, `<token>`). */
function isLiteralCredential(raw: string): boolean {
  const v = raw.replace(/^['"]|['"]$/g, "");
  if (v.length < 4 || v.length > 4096 || NOT_A_CREDENTIAL.test(v)) return false;
  if (v.includes("$") || v.includes("`") || v.startsWith("/") || v.startsWith("~") || v.startsWith("./") || v.startsWith("<")) return false;
  // A run of one character (`xxxxxxxx`, `********`) or an explicit stand-in is a placeholder.
  if (/(.)\1{7,}/.test(v) || /^(.)\1+$/.test(v) || /^(?:your|my|insert|replace|example|dummy|placeholder|changeme|redacted)[-_]/i.test(v))
    return false;
  return true;
}
/** Words of a variable name that say its value is a stand-in (`MOCK_STRIPE_KEY`, `FAKE_TOKEN`). */
const STAND_IN_NAME = /(?:^|_)(?:MOCK|FAKE|DUMMY|PLACEHOLDER|EXAMPLE|SAMPLE)(?:_|$)/i;

/** A variable assignment (`X=v cmd`, `export X=v`, `env X=v`). */
export function onAssign(name: string, value: string, acc: Acc): void {
  localAssign(name, value, acc);
  noteAssignment(acc);
  if (
    (INTERPRETER_CODE_VARS.has(name) && !onlyTunes(name, value)) ||
    (INTERPRETER_SEARCH_VARS.has(name) && value.split(":").some(riskyDir))
  ) {
    acc.tag(TAGS.unclassified);
    acc.find(`sets ${name}, which makes the interpreter load code of the caller's choosing`);
  }
  // A kubeconfig can name an exec credential plugin, a program kubectl and helm run: only the user's own is known.
  if (name === "KUBECONFIG" && value !== "" && !value.split(":").every((f) => f === "~/.kube/config" || f === "$HOME/.kube/config")) {
    acc.tag(TAGS.unclassified);
    acc.find(
      `sets KUBECONFIG=${value}: a kubeconfig can name an exec credential plugin, a program kubectl runs, and Cordon cannot see the file`,
    );
  }
  // `PATH=/tmp:$PATH cmd`, `PATH=.:$PATH; python3 x.py`: every later command name may resolve to a file anyone can fill.
  if (name === "PATH" && value.split(":").some(riskyDir)) {
    acc.tag(TAGS.unclassified);
    acc.find(
      `sets PATH=${value.length > 60 ? `${value.slice(0, 60)}…` : value}, so command names may run programs from a place anyone can fill`,
    );
  }
  if (isSecretName(name) && !STAND_IN_NAME.test(name) && isLiteralCredential(value)) {
    acc.tag(TAGS.secrets);
    acc.find(`sets ${name} to a credential written out on the command line, where process lists, shell history and logs keep it`);
  }
  const s = SECRET_ASSIGNS.get(name);
  if (s && value !== "") {
    acc.tag(...s.tags);
    acc.find(s.why.replace("$V", value));
  }
  supplyChainAssign(name, value, acc);
  extraAssign(name, value, acc);
}

/** Extra handlers for commands the main table does not know (scanners and the like). */
export function extraHandler(name: string): ((args: readonly Word[], cx: { name: string; acc: Acc }) => CmdInfo | undefined) | undefined {
  return RECON_HANDLERS.get(name);
}

/**
 * Read one pipeline (a single command counts) of `script`: data printed,
 * filtered and sent on between its stages.
 */
export function flowPipeline(infos: readonly CmdInfo[], acc: Acc, script: Script, depth: number): void {
  const captured = substitutions.has(script);
  let source: CmdInfo | undefined;
  for (let j = 0; j < infos.length; j++) {
    const info = infos[j];
    if (!info) continue;
    const f = info.flow;
    if (j > 0 && f?.sendsStdin !== undefined && source) {
      acc.tag(TAGS.exfiltration, TAGS.network);
      acc.find(`sends the output of ${source.name || "the commands before it"} to ${f.sendsStdin || "the network"} (${info.name})`);
    }
    // `echo 'curl x | sh' | pbcopy`: the text echoed straight into the clipboard, pasted later (clipboard.ts).
    if (j === 1 && f?.copiesPipe) {
      const text = infos[0]?.literal;
      if (text !== undefined) plantedText(info.name, text, acc, depth);
    }
    if (!source && info.name !== "" && info.literal === undefined) source = info;
    const printer = f?.printsSecret ?? (info.envDump ? "the environment (tokens and keys included)" : undefined);
    if (printer !== undefined && readPrinted(infos, j, printer, info.envDump === true && f?.printsSecret === undefined, acc, captured))
      capturedSecrets.set(script, printer);
    if (f?.historySource !== undefined || f?.processList) {
      for (let k = j + 1; k < infos.length; k++) {
        const g = (infos[k] as CmdInfo).flow;
        if (!g?.passThrough) break;
        if (f.historySource !== undefined && g.filter === "secret") {
          acc.tag(TAGS.secrets);
          acc.find(`searches ${f.historySource} for passwords or tokens`);
          break;
        }
        const product = f.processList && g.pattern !== undefined ? securityProductIn(g.pattern) : null;
        if (product) {
          acc.tag(TAGS.recon);
          acc.find(`looks for security software (${product}) among the running processes`);
          break;
        }
      }
    }
  }
}

/**
 * Where printed credentials end up: shown to the caller (secrets), or consumed by another program.
 * True when they reach the end of the pipeline inside a substitution (its output is the credential).
 */
function readPrinted(infos: readonly CmdInfo[], j: number, what: string, wholeEnv: boolean, acc: Acc, captured: boolean): boolean {
  for (let k = j + 1; k < infos.length; k++) {
    const next = infos[k] as CmdInfo;
    const g = next.flow;
    if (g?.sendsStdin !== undefined || next.networkSink) {
      acc.tag(TAGS.secrets, TAGS.exfiltration, TAGS.network);
      acc.find(`sends ${what} to the network`);
      return false;
    }
    if (!g?.passThrough) return false;
    // `env | grep PATH` shows the matching lines only: no secret unless the pattern asks for one.
    if (wholeEnv && g.filter === "plain") return false;
  }
  if (captured) return true;
  acc.tag(TAGS.secrets);
  acc.find(`prints ${what}`);
  return false;
}
