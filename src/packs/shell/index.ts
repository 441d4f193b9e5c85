import type { Derived } from "../../engine/types";
import { derived, isProduction, TAGS } from "../common";
import { newCredentialAction } from "../credentials";
import { classifyGit } from "../git/index";
import type { Pack, PackContext } from "../index";
import { classifyKubernetes } from "../kubernetes/index";
import { channelsScript, noteHost, noteReach, type Reach } from "./channels";
import { CODE_VARS, classifyCommand, isKnownCommand } from "./commands";
import { afterGit, afterHandedOff, type Flow, flowPipeline, markSubstitution, onAssign, onlyTunes } from "./flow";
import { lineEffects, redirectEffects } from "./hooks";
import { endPipeline, type InlineLineState, noteCommand, noteInput } from "./inline-code";
import { elsewhere, interactiveSession, type LocalLineState, markTopLevel, noteWrite, readsShell, runOwnCode } from "./local";
import { dotenvAssignments, markNotRead, notReadReason } from "./not-read";
import {
  baseName,
  broadReason,
  hostOf,
  isDevice,
  isImportantFile,
  isOutsideWorkspace,
  isScratch,
  secretOf,
  systemLibrariesOnly,
} from "./paths";
import { type Command, MAX_DEPTH, parseShell, type Redirect, type Script, type Word } from "./tokenize";

/**
 * The shell pack. A command line is parsed (quotes, operators, substitutions,
 * here-documents), every command in it is classified — including the ones in
 * `$(...)`, backticks, `sh -c "..."`, `eval`, `xargs`, `sudo` and friends —
 * and the tags of all of them are merged: the line is as risky as its
 * riskiest part. `git` and `kubectl`/`helm` commands go to their packs'
 * classifiers.
 */

/** What one classified command contributes to the analysis of its pipeline. */
export interface CmdInfo {
  /** The command's name after unwrapping sudo/env/... (`""` when none). */
  name: string;
  /** Downloads from the network and writes it to stdout (`curl URL`, `wget -O- URL`). */
  fetchHost?: string | null;
  /** Decodes data that may be a hidden script (`base64 -d`, `xxd -r`, `printf '\x72'`). */
  decoder?: string;
  /** An interpreter that runs whatever arrives on stdin (`sh`, `bash -s`, `python -`). */
  runsStdin?: boolean;
  /** Prints the environment (`env`, `printenv`). */
  envDump?: boolean;
  /** Sends data to the network (`curl`, `nc`, `ssh`). */
  networkSink?: boolean;
  /** A literal the command prints (`echo "ls -la"`), for `echo ... | sh`. */
  literal?: string;
  /** A more specific capability when this is the only command on the line. */
  capability?: string;
  /** What the command does with data passing through a pipeline (flow.ts), once something is known. */
  flow?: Flow;
}

/** What a script (a substitution, a process substitution) does, for `sh -c "$(curl ...)"` checks. */
interface ScriptInfo {
  fetchHost: string | null;
  fetches: boolean;
}

/** Accumulates tags, findings and labels across every command on the line. */
export class Acc {
  readonly tags = new Set<string>();
  readonly findings: string[] = [];
  readonly labels: Record<string, string> = {};
  /** Commands classified, for deciding whether the line has a single command. */
  commandCount = 0;
  lastCapability: string | undefined;
  readonly functions = new Set<string>();
  /** What each script parsed on this line gave (a Map: it dies with the accumulator, and a WeakMap costs the GC more). */
  readonly scripts = new Map<Script, ScriptInfo>();
  /** Stops classification once the work done is out of proportion (defence in depth). */
  budget = 20_000;
  /** Set while classifying the command run by xargs or find -exec: its operands come from elsewhere. */
  stdinTargets: "stdin" | "find" | "find-broad" | null = null;
  /** Set while classifying a later stage of a pipeline: its standard input is the earlier stages' output. */
  pipedInput = false;
  /** Literal variable assignments seen so far (`CURL=curl`), to see through `$CURL ...`. */
  readonly vars = new Map<string, string>();
  /** Files downloaded earlier on the line (`curl -o /tmp/i.sh URL`), to the host they came from. */
  readonly downloads = new Map<string, string>();
  /** Network tags and hosts given so far, counted even when already there: which commands talk to the network (channels.ts). */
  readonly reach: Reach = { net: 0, remote: 0, loopback: 0, host: "" };
  /** local.ts's record of what the line did to the working tree (fields, not WeakMap entries: cheaper per line). */
  localState: LocalLineState | undefined = undefined;
  /** The line's top-level script, when it has no compound commands (local.ts). */
  topLevel: Script | undefined = undefined;
  /** inline-code.ts's record of what earlier commands did that changes what an interpreter loads. */
  inlineState: InlineLineState | undefined = undefined;

  constructor(readonly ctx: PackContext) {}

  tag(...t: string[]): void {
    for (const x of t) {
      if (x === TAGS.network) this.reach.net++;
      this.tags.add(x);
    }
  }
  find(f: string): void {
    if (this.findings.length < 64) this.findings.push(f);
  }
  host(h: string | null | undefined): void {
    if (!h) return;
    this.tags.add(TAGS.network);
    noteHost(this.reach, h);
    if (this.labels.host === undefined) this.labels.host = h;
    if (isProduction(h, this.ctx)) {
      this.tags.add(TAGS.production);
      this.find(`the host ${h} is in the production environment`);
    }
  }
  merge(d: Derived, prefix = ""): void {
    for (const t of d.risk_tags) this.tags.add(t);
    if (d.risk_tags.includes(TAGS.network)) noteHost(this.reach, d.labels.host ?? "");
    for (const f of d.findings) this.find(prefix + f);
    for (const [k, v] of Object.entries(d.labels)) if (this.labels[k] === undefined) this.labels[k] = v;
  }
  obfuscated(why: string): void {
    this.tag(TAGS.unclassified, TAGS.obfuscated);
    this.find(why);
  }
}

/** Classify a parsed script, nested `depth` levels deep. */
export function classifyScript(script: Script, acc: Acc, depth: number): ScriptInfo {
  const info: ScriptInfo = { fetchHost: null, fetches: false };
  const cmds = script.commands;
  if (depth === 0) markNotRead(script);
  // The current pipeline's infos, handed as they are to flowPipeline and analysePipeline (both only read them).
  let pipeline: CmdInfo[] = [];
  for (const cmd of cmds) {
    if (--acc.budget < 0) {
      acc.obfuscated("the line is too large to classify completely");
      break;
    }
    // A literal, not a spread: cheaper, and Reach has just these fields.
    const r = acc.reach;
    const reach: Reach = { net: r.net, remote: r.remote, loopback: r.loopback, host: r.host };
    const piped = acc.pipedInput;
    acc.pipedInput = pipeline.length > 0;
    const ci = classifyOne(cmd, acc, depth);
    acc.pipedInput = piped;
    noteReach(cmd, reach, acc.reach);
    if (ci.fetchHost !== undefined) {
      info.fetches = true;
      if (ci.fetchHost && !info.fetchHost) info.fetchHost = ci.fetchHost;
    }
    if (cmd.group) {
      const gi = acc.scripts.get(cmd.group);
      if (gi?.fetches) {
        info.fetches = true;
        info.fetchHost = info.fetchHost ?? gi.fetchHost;
      }
    }
    if (ci.runsStdin && pipeline.length === 0 && !interactiveSession(cmd, ci, acc, script)) {
      acc.tag(TAGS.unclassified);
      acc.find(`${ci.name} runs commands from its input, which Cordon cannot see`);
    }
    pipeline.push(ci);
    if (cmd.sep !== "|" && cmd.sep !== "|&") {
      endPipeline(acc, depth, cmd.sep);
      flowPipeline(pipeline, acc, script, depth);
      if (pipeline.length > 1) analysePipeline(pipeline, acc, depth);
      pipeline = [];
    }
  }
  if (pipeline.length > 0) endPipeline(acc, depth, "&");
  if (pipeline.length > 0) flowPipeline(pipeline, acc, script, depth);
  if (pipeline.length > 1) analysePipeline(pipeline, acc, depth);
  detectForkBomb(script, acc);
  channelsScript(script, acc);
  acc.scripts.set(script, info);
  return info;
}

/** `:(){ :|:& };:` and friends: a function that pipes itself into itself. */
function detectForkBomb(script: Script, acc: Acc): void {
  if (acc.functions.size === 0) return;
  const cmds = script.commands;
  for (let i = 0; i + 1 < cmds.length; i++) {
    const a = cmds[i];
    const b = cmds[i + 1];
    if (!a || !b || (a.sep !== "|" && a.sep !== "|&")) continue;
    const an = a.words[0]?.value;
    const bn = b.words[0]?.value;
    if (an !== undefined && an === bn && acc.functions.has(an)) {
      acc.tag(TAGS.destructive, TAGS.write);
      acc.find(`a fork bomb: the function ${an} pipes itself into itself until the machine runs out of processes`);
      return;
    }
  }
}

function analysePipeline(infos: readonly CmdInfo[], acc: Acc, depth: number): void {
  // One pass, carrying what earlier stages did, so a long pipeline stays linear.
  let fetch: CmdInfo | undefined;
  let decoder: CmdInfo | undefined;
  let envDump = false;
  for (let j = 0; j < infos.length; j++) {
    const sink = infos[j];
    if (!sink) continue;
    if (j > 0 && sink.runsStdin) {
      const prev = infos[j - 1];
      if (fetch) {
        acc.tag(TAGS.remote_exec, TAGS.network, TAGS.write);
        acc.find(`pipes a download${fetch.fetchHost ? ` from ${fetch.fetchHost}` : ""} into ${sink.name}`);
      } else if (decoder) {
        acc.obfuscated(`decodes hidden data (${decoder.decoder}) and runs it in ${sink.name}`);
      } else if (prev?.literal !== undefined && j === 1 && readsShell(sink.name)) {
        // Only a shell (or `at`, or ssh) reads the text as shell commands (ssh: a shell on the other host, where paths are not the tree's).
        acc.find(`runs the text echoed into ${sink.name}`);
        const literal = prev.literal;
        if (sink.name === "ssh") elsewhere(acc, () => classifyLineInto(literal, acc, depth + 1));
        else classifyLineInto(literal, acc, depth + 1);
      } else {
        acc.tag(TAGS.unclassified);
        acc.find(`${sink.name} runs commands read from a pipe, which Cordon cannot see`);
      }
    }
    if (j > 0 && sink.networkSink && envDump) {
      acc.tag(TAGS.secrets, TAGS.network);
      acc.find("sends the environment (which holds tokens and keys) to the network");
    }
    if (!fetch && sink.fetchHost !== undefined) fetch = sink;
    if (!decoder && sink.decoder !== undefined) decoder = sink;
    if (sink.envDump) envDump = true;
  }
}

/** Classify one command of a script: its substitutions, redirections and the command itself. */
function classifyOne(cmd: Command, acc: Acc, depth: number): CmdInfo {
  for (const a of cmd.assigns) {
    subsOf(a, acc, depth);
    const name = a.value.slice(0, a.value.indexOf("="));
    const value = a.value.slice(name.length + 1);
    onAssign(name, value, acc);
    if (cmd.words.length === 0 && acc.vars.size < 64) {
      if (a.expanded) acc.vars.delete(name);
      else acc.vars.set(name, value);
    }
    if (name === "LD_PRELOAD" && systemLibrariesOnly(value)) {
      acc.find(`preloads ${value}, a library the system installed`);
    } else if (
      name === "LD_PRELOAD" ||
      name === "LD_LIBRARY_PATH" ||
      name.startsWith("DYLD_") ||
      name === "BASH_ENV" ||
      name === "ENV" ||
      name === "PROMPT_COMMAND"
    ) {
      acc.tag(TAGS.unclassified);
      acc.find(`sets ${name}, which makes programs load or run code of the caller's choosing`);
    }
  }
  for (const r of cmd.redirects) classifyRedirect(r, acc, depth, cmd);
  if (cmd.group) {
    // `cmd (…)` (a syntax error) is reported by the parser: see `malformed` in classifyLineInto.
    classifyScript(cmd.group, acc, depth + 1);
    return { name: "(" };
  }
  if (cmd.funcName !== undefined) {
    acc.functions.add(cmd.funcName);
    return { name: "" };
  }
  if (cmd.words.length === 0) return { name: "" };
  for (const w of cmd.words) if (w.subs.length > 0) subsOf(w, acc, depth);
  acc.commandCount++;
  const info = classifyWords(cmd.words, acc, depth, cmd.redirects);
  return info;
}

/** Classify the substitutions inside a word; they run before the command does. */
export function subsOf(w: Word, acc: Acc, depth: number): ScriptInfo | null {
  let out: ScriptInfo | null = null;
  for (const s of w.subs) {
    if (!w.procSub) markSubstitution(s);
    const i = classifyScript(s, acc, depth + 1);
    // A literal, not a spread: ScriptInfo has just these fields.
    if (!out) out = { fetchHost: i.fetchHost, fetches: i.fetches };
    else if (i.fetches) {
      out.fetches = true;
      out.fetchHost = out.fetchHost ?? i.fetchHost;
    }
  }
  return out;
}

/** What the substitutions in a word do, once they have been classified. */
export function wordFetches(w: Word, acc: Acc): ScriptInfo {
  const out: ScriptInfo = { fetchHost: null, fetches: false };
  for (const s of w.subs) {
    const i = acc.scripts.get(s);
    if (i?.fetches) {
      out.fetches = true;
      out.fetchHost = out.fetchHost ?? i.fetchHost;
    }
  }
  return out;
}

const WRITE_OPS = new Set([">", ">>", ">|", "&>", "&>>", "<>"]);
/** Shells whose redirection to /dev/tcp makes a reverse shell. */
const TCP_SHELLS = new Set(["bash", "sh", "zsh", "dash", "ksh"]);
/** `2>&1`, `>&-`: a descriptor duplicated or closed, not a file. */
const FD_DUP = /^[0-9-]*$/;

/** `echo hello`, `printf 'x\n'`: a command whose output is only its own literal words (nothing local is sent). */
function printsOnlyLiterals(cmd: Command): boolean {
  const name = cmd.words[0]?.value;
  if (name !== "echo" && name !== "printf") return false;
  return cmd.words.every((w) => !w.expanded && w.subs.length === 0 && !w.procSub);
}

function classifyRedirect(r: Redirect, acc: Acc, depth: number, cmd: Command): void {
  if (r.target) subsOf(r.target, acc, depth);
  if (r.bodySubs) for (const s of r.bodySubs) classifyScript(s, acc, depth + 1);
  const t = r.target;
  if (!t || r.op === "<<" || r.op === "<<-" || r.op === "<<<") return;
  const path = t.value;
  if (path.startsWith("/dev/tcp/") || path.startsWith("/dev/udp/")) {
    const host = path.split("/")[3] ?? "";
    acc.host(host || null);
    const name = baseName(cmd.words[0]?.value ?? "");
    if (TCP_SHELLS.has(name) || r.op === ">&" || r.op === "&>" || r.op === "<>") {
      acc.tag(TAGS.remote_exec);
      acc.find(`connects a shell to ${host || "a remote host"} through /dev/tcp (a reverse shell)`);
    } else if (WRITE_OPS.has(r.op) && !printsOnlyLiterals(cmd)) {
      // `cat notes.txt > /dev/tcp/host/80`: the command's output goes to that host, as through `| nc host 80`.
      acc.tag(TAGS.exfiltration);
      acc.find(
        `sends the output of ${name || "the command"} to ${host || "a remote host"} through ${path.split("/").slice(0, 3).join("/")}`,
      );
    }
    return;
  }
  if (r.op === ">&" || r.op === "<&") {
    if (FD_DUP.test(path)) return;
  }
  if (WRITE_OPS.has(r.op) || r.op === ">&") {
    redirectEffects(acc, path, r.op);
    noteWrite(acc, path);
    if (t.expanded && path.startsWith("$")) {
      acc.tag(TAGS.write);
      acc.find(`writes to ${t.raw}, a path hidden in a variable`);
      return;
    }
    if (isScratch(path)) return;
    acc.tag(TAGS.write);
    const truncates = r.op !== ">>" && r.op !== "&>>";
    if (isImportantFile(path) || isDevice(path)) {
      if (truncates) {
        acc.tag(TAGS.destructive);
        acc.find(`overwrites ${path} with a redirection (${r.op})`);
      } else acc.find(`appends to ${path}`);
      const lower = path.toLowerCase();
      if (lower.includes("sudoers") || lower.includes("authorized_keys") || lower.includes("/etc/passwd")) {
        acc.tag(TAGS.privilege);
        acc.find(`changing ${path} grants access or privileges`);
      }
    }
    if (isOutsideWorkspace(path)) {
      acc.tag(TAGS.outside_workspace);
      acc.find(`writes to ${path}, outside the working directory`);
    }
    const secret = secretOf(path);
    const excused = secret && notReadReason(t);
    if (excused) acc.find(`${path} (${secret.what}) ${excused}`);
    else if (secret) acc.tag(TAGS.secrets);
    for (const [k, v] of dotenvAssignments(t)) {
      onAssign(k, v, acc);
      // Judged like `export K=v`: a variable that makes programs load or run code.
      if (CODE_VARS.has(k) && v !== "" && !onlyTunes(k, v)) {
        acc.tag(TAGS.unclassified);
        acc.find(`writes ${k} into ${path}, which makes programs that load it run code of the caller's choosing`);
      }
    }
    return;
  }
  if (r.op === "<" || r.op === "<>") noteInput(acc, path);
  if (r.op === "<") {
    const secret = secretOf(path);
    const excused = secret && notReadReason(t);
    if (excused) acc.find(`${path} (${secret.what}) ${excused}`);
    else if (secret) {
      acc.tag(TAGS.secrets);
      acc.find(`reads ${path} (${secret.what})`);
    }
  }
}

/**
 * Classify argv words (after substitutions were classified): look through
 * wrappers, spot obfuscation, then hand the command to its handler.
 */
export function classifyWords(words: readonly Word[], acc: Acc, depth: number, redirects: readonly Redirect[]): CmdInfo {
  const w = words[0];
  if (!w) return { name: "" };
  if (w.expanded || w.value.includes("$")) {
    acc.obfuscated(`the command name ${w.raw} comes from an expansion, so what runs is hidden`);
    // `CURL=curl; $CURL ...`: when the variable was set to a literal on this line, look through it.
    const known = knownVariable(w, acc);
    if (known !== undefined && depth < MAX_DEPTH) {
      acc.find(`${w.raw} is ${known} here`);
      const rest = words
        .slice(1)
        .map((x) => quoteArg(x.value))
        .join(" ");
      const info = classifyLineAsCommand(`${known} ${rest}`, acc, depth + 1);
      if (info) return info;
    }
    return { name: w.raw };
  }
  if (w.escapes >= 2 || (w.raw.startsWith("$'") && w.escapes > 0)) {
    acc.tag(TAGS.obfuscated);
    acc.find(`the command name ${w.raw} is spelled with escapes (it runs ${w.value})`);
  }
  const raw = w.value;
  if (raw === "") {
    acc.tag(TAGS.unclassified);
    acc.find("runs a command with an empty name");
    return { name: "" };
  }
  const name = raw.includes("/") ? baseName(raw) : raw;
  const downloaded = downloadedFrom(raw, acc);
  if (downloaded !== undefined) {
    acc.tag(TAGS.remote_exec, TAGS.network, TAGS.write);
    acc.find(`runs ${raw}, downloaded${downloaded ? ` from ${downloaded}` : ""} earlier on the line`);
  }
  if (raw.includes("/") && !raw.startsWith("/")) {
    const args = words.slice(1);
    // A program of the working tree is the project's own code (see local.ts); anything else stays unknown.
    if (downloaded !== undefined || !runOwnCode(w, acc, "", undefined, args)) {
      acc.tag(TAGS.unclassified, TAGS.write);
      acc.find(`runs the local program ${raw}, whose contents Cordon cannot see`);
    }
    // A credential file handed to a program Cordon cannot see is read by it.
    for (const a of args) {
      const s = secretOf(a.value);
      if (s) {
        acc.tag(TAGS.secrets);
        acc.find(`${raw} is handed ${a.value} (${s.what})`);
      }
    }
    // `./../../bin/rm -rf /` is still rm: classify by name as well when the name is one we know.
    if (!isKnownCommand(name)) return { name: raw };
  }
  if (acc.functions.has(name)) return { name };
  // One copy for both: neither keeps nor changes it.
  const args = words.slice(1);
  noteCommand(acc, w.raw, name, args);
  if (name === "git") {
    const d = classifyGit(
      words.map((x) => x.value),
      acc.ctx,
    );
    acc.merge(d);
    acc.lastCapability = d.capability;
    const gi: CmdInfo = { name, capability: d.capability, networkSink: d.risk_tags.includes(TAGS.network) };
    afterGit(words, acc, gi);
    return gi;
  }
  if (name === "kubectl" || name === "helm" || name === "oc") {
    const d = classifyKubernetes(
      words.map((x) => x.value),
      acc.ctx,
      depth,
    );
    acc.merge(d);
    acc.lastCapability = d.capability;
    const ki: CmdInfo = { name, capability: d.capability };
    afterHandedOff(words, acc, ki);
    return ki;
  }
  return classifyCommand(name, args, acc, depth, redirects);
}

function knownVariable(w: Word, acc: Acc): string | undefined {
  let v = w.raw;
  if (v.startsWith('"') && v.endsWith('"') && v.length > 2) v = v.slice(1, -1);
  if (v.startsWith("${") && v.endsWith("}")) v = v.slice(2, -1);
  else if (v.startsWith("$")) v = v.slice(1);
  else return undefined;
  const value = acc.vars.get(v);
  return value !== undefined && value !== "" ? value : undefined;
}

/** The host a path was downloaded from earlier on the line (`""` when unknown), or undefined. */
export function downloadedFrom(path: string, acc: Acc): string | undefined {
  if (acc.downloads.size === 0) return undefined;
  const n = path.startsWith("./") ? path.slice(2) : path;
  return acc.downloads.get(n);
}

/** Re-quote an argument so a joined command line splits back the same way. */
export function quoteArg(a: string): string {
  if (a !== "" && /^[A-Za-z0-9_./:=@%+,-]+$/.test(a)) return a;
  return `'${a.replaceAll("'", "'\\''")}'`;
}

/** Classify a line that is one command, returning its pipeline info. */
function classifyLineAsCommand(line: string, acc: Acc, depth: number): CmdInfo | undefined {
  const r = parseShell(line);
  const cmd = r.script.commands[0];
  if (r.tooLong || r.tooDeep || !cmd || r.script.commands.length !== 1 || cmd.words.length === 0) {
    classifyLineInto(line, acc, depth);
    return undefined;
  }
  for (const w of cmd.words) subsOf(w, acc, depth);
  return classifyWords(cmd.words, acc, depth, cmd.redirects);
}

/** Parse and classify `line` into `acc` (used for `sh -c`, `eval`, `watch`, `ssh host cmd`). */
export function classifyLineInto(line: string, acc: Acc, depth: number): ScriptInfo {
  if (depth > MAX_DEPTH) {
    acc.obfuscated("commands are nested too deeply to follow");
    return { fetchHost: null, fetches: false };
  }
  const r = parseShell(line);
  if (r.tooLong) {
    acc.obfuscated("the command is too long to classify (over 64 KiB)");
    return { fetchHost: null, fetches: false };
  }
  if (r.tooDeep) acc.obfuscated("commands are nested too deeply to follow");
  if (r.unterminated) {
    // The shell would reject or keep reading this line: what it finally runs is unknown.
    acc.tag(TAGS.unclassified);
    acc.find("the line leaves a quote, substitution or here-document open");
  }
  if (r.malformed) {
    // What the author meant to run differs from what any shell would parse; never read it as safe.
    acc.tag(TAGS.unclassified);
    acc.find("a `(` follows a command's arguments: a syntax error in bash, or a pattern (extended glob, case) Cordon does not parse");
  }
  lineEffects(line, r.script, acc, depth);
  if (depth === 0) markTopLevel(acc, r.script, line);
  return classifyScript(r.script, acc, depth);
}

/**
 * Classify a whole shell line into a capability, risk tags, labels and
 * findings. Used by the shell pack and by other packs whose arguments look
 * like shell (MCP tool calls). Never throws.
 */
export function classifyShellLine(line: string, ctx: PackContext, depth = 0): Derived {
  const acc = new Acc(ctx);
  try {
    if (typeof line !== "string") {
      acc.obfuscated("the command is not a string");
    } else {
      // Nested (inside `kubectl exec`): relative paths are the container's, not the project's.
      if (depth > 0) elsewhere(acc, () => classifyLineInto(line, acc, depth));
      else classifyLineInto(line, acc, depth);
      if (acc.commandCount === 0 && acc.tags.size === 0) acc.tag(TAGS.read);
    }
  } catch {
    // A classifier bug must fail closed, never open.
    acc.obfuscated("the command could not be classified");
  }
  if (acc.tags.size === 0) acc.tag(TAGS.unclassified);
  const single = acc.commandCount === 1 ? acc.lastCapability : undefined;
  return derived(single ?? "shell.exec", acc.tags, acc.labels, acc.findings);
}

const OVERLAY = `rules:
  - id: shell-remote-exec
    match:
      risk_tags_any: [remote-exec]
    decision: DENY
    reason: Running code downloaded from the network is blocked
  - id: shell-destructive
    match:
      capability: ["shell.**"]
      risk_tags: [destructive]
    decision: DENY
    reason: Destructive shell commands are blocked
  - id: shell-secret-egress
    match:
      risk_tags: [secrets, network]
    decision: DENY
    reason: Sending credentials over the network is blocked
`;

/** The shell pack: `{kind: "shell", command: "..."}`. */
export const shellPack: Pack = {
  name: "shell",
  summary: "Shell command lines: every command, wrapper and substitution classified; git and kubectl handed to their packs",
  classify(action: Record<string, unknown>, ctx: PackContext): Derived | null {
    if (action.kind !== "shell") return null;
    newCredentialAction();
    const command = action.command;
    if (typeof command !== "string") {
      return derived("shell.exec", [TAGS.unclassified], {}, ["a shell action without a command string"]);
    }
    return classifyShellLine(command, ctx);
  },
  overlay: OVERLAY,
};

export { broadReason, hostOf, isOutsideWorkspace, secretOf };
