import { TAGS } from "../common";
import { dropSiteOfUrl } from "../http/dropsites";
import { CURL_VALUED } from "./exfiltration";
import { operands } from "./flow";
import { footholdsCommand, footholdsScript } from "./footholds";
import type { Acc, CmdInfo } from "./index";
import { hostOf } from "./paths";
import type { Command, Redirect, Script, Word } from "./tokenize";

/**
 * Network channels the per-command rules do not see on their own:
 * - data sent to a data-drop service (webhook.site, paste sites, chat incoming
 *   webhooks; the table is in ../http/dropsites.ts): exfiltration;
 * - a live two-way connection between the shell and a remote peer (`telnet
 *   host port`, `nc host port` with nothing fed to it, a network client run as
 *   a `coproc`): exec, like `kubectl attach` or `port-forward`;
 * - tunnels that expose a local port to the internet (`npx localtunnel`,
 *   `frpc`, `chisel ... R:`): exec, like `ngrok http`;
 * - network work detached from the command (`nohup`, `setsid`, `... &` with no
 *   `wait`, `( ... ) &`, `{ ...; } &`): it goes on after the command returns,
 *   outside its runtime bound — persistence.
 */

// ------------------------------------------------------------------ per command

/** curl's short options that take a value (`-sF file=@x`: the value of the last one in a cluster is the next word). */
const CURL_SHORT_VALUED = new Set([
  "o",
  "H",
  "X",
  "u",
  "A",
  "e",
  "b",
  "c",
  "K",
  "w",
  "m",
  "x",
  "r",
  "E",
  "y",
  "Y",
  "z",
  "U",
  "Q",
  "P",
  "t",
  "C",
  "d",
  "F",
  "T",
]);

/** A short-option cluster of curl (`-sSd`): whether it sends a body, and whether its value is the next word. */
function curlCluster(v: string): { body: boolean; takesNext: boolean } {
  let body = false;
  for (let k = 1; k < v.length; k++) {
    const ch = v[k] as string;
    if (ch === "d" || ch === "F" || ch === "T") body = true;
    if (CURL_SHORT_VALUED.has(ch)) return { body, takesNext: k === v.length - 1 };
  }
  return { body, takesNext: false };
}

/** The URL operands of curl (option values skipped). */
function curlUrls(args: readonly Word[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? "";
    if (v === "--url") {
      out.push(args[++i]?.value ?? "");
      continue;
    }
    if (v.startsWith("--url=")) out.push(v.slice(6));
    else if (CURL_VALUED.has(v) || CURL_BODY.has(v)) i++;
    else if (/^-[a-zA-Z]{2,}$/.test(v)) {
      if (curlCluster(v).takesNext) i++;
    } else if (!v.startsWith("-")) out.push(v);
  }
  return out;
}

const CURL_BODY = new Set([
  "-d",
  "--data",
  "--data-binary",
  "--data-ascii",
  "--data-raw",
  "--data-urlencode",
  "--json",
  "-F",
  "--form",
  "--form-string",
  "-T",
  "--upload-file",
]);

function curlSendsBody(args: readonly Word[]): boolean {
  return args.some((w) => {
    const v = w.value;
    if (CURL_BODY.has(v)) return true;
    if (v.startsWith("--")) return CURL_BODY.has(v.slice(0, v.indexOf("=") >>> 0));
    return v.length > 1 && v[1] !== "-" && curlCluster(v).body;
  });
}

const WGET_BODY = /^--(post|body)-(data|file)(=|$)/;
/** wget's options that take a value, the ones that send data among them. */
const WGET_VALUED = new Set([
  "--post-data",
  "--post-file",
  "--body-data",
  "--body-file",
  "-O",
  "-o",
  "-a",
  "-P",
  "-e",
  "-U",
  "-t",
  "-T",
  "-w",
  "-i",
  "-B",
  "--header",
  "--user-agent",
  "--user",
  "--password",
]);

/** httpie request items that send data: `field=value`, `field:=json`, `field@file`, `field=@file`. */
const HTTPIE_DATA = /^[^=:@\s]*(?::=|=(?!=)|@)/;

function dropSite(name: string, args: readonly Word[], acc: Acc): void {
  let urls: string[];
  let body: boolean;
  if (name === "curl") {
    urls = curlUrls(args);
    body = curlSendsBody(args);
  } else if (name === "wget") {
    const o = operands(args, WGET_VALUED);
    urls = o.pos.map((w) => w.value);
    body = args.some((w) => WGET_BODY.test(w.value));
  } else {
    // httpie / xh: `http [METHOD] URL ITEM...`; the first operand that is not a method is the URL.
    const pos = args.filter((w) => !w.value.startsWith("-")).map((w) => w.value);
    if (/^[A-Z]+$/.test(pos[0] ?? "")) pos.shift();
    const url = pos.shift();
    urls = url === undefined ? [] : [url];
    body = pos.some((p) => HTTPIE_DATA.test(p));
  }
  for (const u of urls) {
    // Data in the query string of a send call counts as a body.
    if (u.length > 2048 || (!body && !/\?[^#]*=/.test(u))) continue;
    const site = dropSiteOfUrl(u, true);
    if (!site) continue;
    acc.tag(TAGS.exfiltration, TAGS.network);
    acc.find(`${name} sends data to ${site.host}, ${site.what}`);
    return;
  }
}

/** The package `npx` and friends run, or null. */
function runnerPackage(name: string, args: readonly Word[]): { pkg: string; rest: readonly Word[] } | null {
  let a = args;
  if (name === "npm" || name === "pnpm" || name === "yarn") {
    const verb = a[0]?.value;
    if (verb !== "exec" && verb !== "dlx" && verb !== "x") return null;
    a = a.slice(1);
  } else if (name !== "npx" && name !== "pnpx" && name !== "bunx") return null;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]?.value ?? "";
    if (v === "-p" || v === "--package") {
      i++;
      continue;
    }
    if (v === "--") continue;
    if (v.startsWith("-")) continue;
    const at = v.lastIndexOf("@");
    return { pkg: at > 0 ? v.slice(0, at) : v, rest: a.slice(i + 1) };
  }
  return null;
}

/** The local port a tunnel tool is given (`--port 8080`, `-p 8080`, `--port=8080`), or null. */
function portOption(args: readonly Word[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? "";
    if (v === "--port" || v === "-p") return args[i + 1]?.value ?? null;
    if (v.startsWith("--port=")) return v.slice(7);
  }
  return null;
}

function tunnel(acc: Acc, what: string): void {
  acc.tag(TAGS.exec, TAGS.network, TAGS.write);
  acc.find(what);
}

function tunnels(name: string, args: readonly Word[], acc: Acc): void {
  const run = runnerPackage(name, args);
  if (run && (run.pkg === "localtunnel" || run.pkg === "lt")) {
    const port = portOption(run.rest);
    tunnel(acc, `${run.pkg} opens a tunnel from the internet to local port ${port ?? "(the one it is given)"}`);
    return;
  }
  if (name === "frpc") {
    const vals = args.map((w) => w.value);
    if (vals.some((v) => /^(-v|--version|-h|--help|verify)$/.test(v))) return;
    tunnel(acc, "frpc exposes the local ports its configuration names through an frp server, a tunnel from the internet into this machine");
    return;
  }
  if (name === "chisel") {
    const vals = args.map((w) => w.value);
    const reverse = vals.find((v) => /^R:/.test(v));
    if (vals[0] === "client" && reverse)
      tunnel(acc, `chisel client ${reverse} opens a reverse tunnel from the chisel server into this machine`);
    else if (vals[0] === "client") tunnel(acc, "chisel client forwards ports through a chisel server: traffic crosses in both directions");
    else if (vals[0] === "server" && vals.includes("--reverse"))
      tunnel(acc, "chisel server --reverse lets clients open tunnels from this machine into theirs");
  }
}

/** Called by afterCommand for every classified command. */
export function channelsCommand(name: string, args: readonly Word[], acc: Acc, _info: CmdInfo, _redirects: readonly Redirect[]): void {
  if (name === "curl" || name === "wget" || name === "http" || name === "https" || name === "xh") dropSite(name, args, acc);
  tunnels(name, args, acc);
  footholdsCommand(name, args, acc);
}

// ------------------------------------------------------------------ per script

/** Words that open a compound command, as reserved words before a command or as its name. */
const OPENERS = new Set(["{", "while", "until", "if"]);
const OPENER_NAMES = new Set(["for", "select", "case"]);
const CLOSERS = new Set(["}", "done", "fi", "esac"]);
const AND_OR = new Set(["&&", "||", "|", "|&"]);
/** The most commands one background list or coprocess is looked for in. */
const SPAN = 256;
const WRAPPERS = new Set(["sudo", "doas", "nohup", "setsid", "time", "nice", "command", "exec", "stdbuf", "timeout", "env"]);

function opens(c: Command): number {
  let n = 0;
  for (const k of c.lead ?? []) if (OPENERS.has(k)) n++;
  if (OPENER_NAMES.has(c.words[0]?.value ?? "")) n++;
  return n;
}

function closes(c: Command): number {
  let n = 0;
  for (const k of c.trail ?? []) if (CLOSERS.has(k)) n++;
  return n;
}

/** Where the and-or list (with the compound commands around it) that ends at `i` starts. */
function listStart(cmds: readonly Command[], i: number): number {
  let depth = 0;
  // Bounded, so a line of many nested groups stays linear; a longer list is taken from the bound on.
  for (let k = i; k >= 0 && k > i - SPAN; k--) {
    const c = cmds[k] as Command;
    // A `&` right after the command applies to it alone: the words that close compounds after it do not count.
    depth += (k === i && c.sep === "&" ? 0 : closes(c)) - opens(c);
    const prev = cmds[k - 1];
    if (depth <= 0 && (!prev || !AND_OR.has(prev.sep))) return k;
  }
  return Math.max(0, i - SPAN + 1);
}

/** Where the compound command that starts at `i` ends (`coproc { ...; }`). */
function compoundEnd(cmds: readonly Command[], i: number): number {
  let depth = 0;
  for (let k = i; k < cmds.length && k < i + SPAN; k++) {
    const c = cmds[k] as Command;
    depth += opens(c) - closes(c);
    if (depth <= 0 && !AND_OR.has(c.sep)) return k;
  }
  return Math.min(cmds.length, i + SPAN) - 1;
}

/** Where in `words` the command a line of wrappers runs is (its arguments follow it). */
function unwrappedAt(words: readonly Word[]): number {
  let i = 0;
  while (i < words.length) {
    const v = words[i]?.value ?? "";
    const base = v.slice(v.lastIndexOf("/") + 1);
    if (!WRAPPERS.has(base)) break;
    i++;
    // Wrapper options and their obvious values (`sudo -u root`, `timeout 30`, `nice -n 5`).
    while (i < words.length) {
      const a = words[i]?.value ?? "";
      if (a.startsWith("-")) {
        i += /^-[ungkCs]$/.test(a) ? 2 : 1;
        continue;
      }
      if (/^\d+[smhd]?$/.test(a) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
        i++;
        continue;
      }
      break;
    }
  }
  return i;
}

/** The name of the command at `i` in `words`, without its directory. */
function nameAt(words: readonly Word[], i: number): string {
  const v = words[i]?.value ?? "";
  return v.slice(v.lastIndexOf("/") + 1);
}

/** How much network a command (or the accumulator so far) has touched: network tags, remote and loopback hosts, the last remote host. */
export interface Reach {
  net: number;
  remote: number;
  loopback: number;
  host: string;
}

const LOOPBACK = /^(localhost|.*\.localhost|127(\.\d+){3}|::1|0\.0\.0\.0)$/;

/** Called by the accumulator when a host is named or a network tag arrives from another pack. */
export function noteHost(r: Reach, h: string): void {
  r.net++;
  if (h === "") return;
  if (LOOPBACK.test(h)) r.loopback++;
  else {
    r.remote++;
    r.host = h;
  }
}

/** What each classified command added to the accumulator's reach. */
const reached = new WeakMap<Command, Reach>();

/** Called by classifyScript around each command: what the command added. */
export function noteReach(c: Command, before: Reach, after: Reach): void {
  if (after.net === before.net && after.remote === before.remote) return;
  reached.set(c, {
    net: after.net - before.net,
    remote: after.remote - before.remote,
    loopback: after.loopback - before.loopback,
    host: after.remote > before.remote ? after.host : "",
  });
}

/** Whether `cmds` talk to a host other than this machine (a network tag with no host counts), and the host when named. */
function reachOf(cmds: readonly Command[]): { host: string } | null {
  let net = 0;
  let remote = 0;
  let loopback = 0;
  let host = "";
  for (const c of cmds) {
    const r = reached.get(c);
    if (!r) continue;
    net += r.net;
    remote += r.remote;
    loopback += r.loopback;
    if (!host) host = r.host;
  }
  if (remote > 0) return { host };
  return net > 0 && loopback === 0 ? { host: "" } : null;
}

/** Commands left out of the names in findings: they only wait, test or loop. */
const QUIET = new Set(["true", "false", ":", "sleep", "for", "select", "case", "[", "[[", "test", "echo", "printf"]);

function names(cmds: readonly Command[]): string {
  const out: string[] = [];
  for (const c of cmds) {
    const n = nameAt(c.words, unwrappedAt(c.words));
    if (n !== "" && !QUIET.has(n) && !out.includes(n) && out.length < 4) out.push(n);
  }
  return out.join(", ") || "a group of commands";
}

const NC_NAMES = new Set(["nc", "ncat", "netcat", "cryptcat"]);
const NC_VALUED = new Set(["-p", "-s", "-w", "-i", "-q", "-x", "-X", "-O", "-P", "-T", "-V", "-I", "-g", "-G", "--proxy", "--source"]);
const TELNET_VALUED = new Set(["-l", "-n", "-b", "-e", "-k", "-X"]);
const STDIN_OPS = new Set(["<", "<<", "<<-", "<<<", "<&", "<>"]);
/** The names rawPeer judges. */
const RAW_PEERS = new Set([...NC_NAMES, "telnet", "socat"]);

/** `telnet host port`, `nc host port`, `socat - TCP:host:port`: a raw connection the shell talks through, or null. */
function rawPeer(name: string, args: readonly Word[]): string | null {
  if (NC_NAMES.has(name)) {
    const vals = args.map((w) => w.value);
    // Listening, scanning, running a program or a local socket are other rules' business.
    if (vals.some((v) => /^-[a-zA-Z]*[lzecU]/.test(v) || /^--(listen|exec|sh-exec|lua-exec|unixsock|udp)/.test(v))) return null;
    const pos = operands(args, NC_VALUED).pos.map((w) => w.value);
    const host = pos[0];
    if (host === undefined || /^\d+$/.test(host) || !hostOf(host, true)) return null;
    return pos[1] ? `${host}:${pos[1]}` : host;
  }
  if (name === "telnet") {
    const pos = operands(args, TELNET_VALUED).pos.map((w) => w.value);
    const host = pos[0];
    if (host === undefined || !hostOf(host, true)) return null;
    return pos[1] ? `${host}:${pos[1]}` : host;
  }
  if (name === "socat") {
    const addrs = args.map((w) => w.value).filter((v) => !/^-[a-zA-Z]/.test(v));
    if (addrs.length !== 2) return null;
    const local = addrs.find((a) => a === "-" || /^(stdio|stdin|readline|pty)\b/i.test(a));
    const peer = addrs.find((a) => /^(tcp[46]?|openssl|ssl|udp[46]?):/i.test(a));
    if (!local || !peer) return null;
    return peer.slice(peer.indexOf(":") + 1).split(",")[0] ?? null;
  }
  return null;
}

/** `tmux new-session -d ...`, `screen -dm ...`: a terminal session started detached, running on its own. */
function muxDetached(name: string, args: readonly Word[]): boolean {
  const vals = args.map((w) => w.value);
  if (name === "tmux") {
    const sub = vals.find((v) => !v.startsWith("-"));
    return (sub === "new-session" || sub === "new") && vals.some((v) => /^-[A-Za-z]*d/.test(v));
  }
  if (name === "screen")
    return vals.some((v) => /^-[A-Za-z]*[dD][A-Za-z]*m|^-[A-Za-z]*m[A-Za-z]*[dD]/.test(v)) || (vals.includes("-d") && vals.includes("-m"));
  return false;
}

/**
 * Called once per script (the top line, every group and substitution) after
 * its commands were classified.
 */
export function channelsScript(script: Script, acc: Acc): void {
  const cmds = script.commands;
  if (cmds.length === 0) return;
  footholdsScript(script, acc);
  // Background jobs before the last `wait` are waited for.
  let lastWait = -1;
  for (let k = 0; k < cmds.length; k++) if (cmds[k]?.words[0]?.value === "wait") lastWait = k;
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i] as Command;
    const piped = i > 0 && (cmds[i - 1]?.sep === "|" || cmds[i - 1]?.sep === "|&");
    const at = unwrappedAt(c.words);
    const name = nameAt(c.words, at);
    // The arguments are read (sliced) only for the names rawPeer and muxDetached judge.
    if (!piped && RAW_PEERS.has(name) && !c.redirects.some((r) => STDIN_OPS.has(r.op))) {
      const peer = rawPeer(name, c.words.slice(at + 1));
      if (peer) {
        acc.tag(TAGS.exec, TAGS.network);
        acc.find(
          `${name} opens a live two-way connection to ${peer}: what the shell sends goes to the peer, and what the peer sends comes back`,
        );
      }
    }
    if (c.lead?.includes("coproc")) {
      const end = c.group || opens(c) === 0 ? i : compoundEnd(cmds, i);
      const r = reachOf(cmds.slice(i, end + 1));
      if (r) {
        acc.tag(TAGS.exec, TAGS.network);
        acc.find(
          `runs ${names(cmds.slice(i, end + 1))} as a coprocess: a live two-way channel between this shell and ${r.host || "a remote peer"}, which can feed it input and read its output`,
        );
      }
    }
    const base = at === 0 ? name : nameAt(c.words, 0);
    const how =
      (name === "tmux" || name === "screen") && muxDetached(name, c.words.slice(at + 1))
        ? `a detached ${name} session`
        : base === "nohup" || base === "setsid"
          ? base
          : null;
    const detaches = how !== null;
    const background = (c.sep === "&" || c.closedSep === "&") && i > lastWait;
    if (!detaches && !background) continue;
    const start = background ? listStart(cmds, i) : i;
    const part = cmds.slice(start, i + 1);
    const r = reachOf(part);
    if (r) {
      acc.tag(TAGS.persistence);
      acc.find(
        `starts ${names(part)} detached from this command (${how ?? "in the background"}): it talks to ${r.host || "the network"} after the command has returned`,
      );
    }
  }
}
