import { TAGS } from "../common";
import { capturedSecretOf, flowOf, operands, optValue } from "./flow";
import type { Acc, CmdInfo } from "./index";
import { hostOf, remoteHostOf, secretOf } from "./paths";
import type { Redirect, Word } from "./tokenize";

/**
 * Local data sent to a network destination (TAGS.exfiltration): uploads of
 * files or standard input, copies to remote hosts and buckets, command output
 * spelled into URLs or DNS names, output written into a process substitution
 * that talks to the network.
 */

/** Programs that send whatever they are given to the network. */
export const NET_SENDERS = new Set(["nc", "ncat", "netcat", "socat", "telnet", "curl", "wget", "ssh", "openssl", "cryptcat", "http", "xh"]);

function exfil(acc: Acc, why: string, w?: Word): void {
  acc.tag(TAGS.exfiltration, TAGS.network);
  acc.find(why);
  // `curl -d "$(env)"`, `dig $(printenv TOKEN).x`: what is sent is a credential.
  const held = w?.subs.map(capturedSecretOf).find((x) => x !== undefined);
  if (held) {
    acc.tag(TAGS.secrets);
    acc.find(`what it sends is ${held}`);
  }
}

/** The file a data option uploads (`@file`, `name=@file`, `name=<file`), or "-" for standard input. */
function uploadedFile(value: string, form: boolean): string | null {
  if (!form) return value.startsWith("@") ? value.slice(1) : null;
  const k = value.search(/=[@<]/);
  if (k < 0) return null;
  const rest = value.slice(k + 2);
  const semi = rest.indexOf(";");
  return semi >= 0 ? rest.slice(0, semi) : rest;
}

const CURL_DATA = new Set(["-d", "--data", "--data-binary", "--data-ascii", "--data-raw", "--data-urlencode", "--json"]);
const CURL_FORM = new Set(["-F", "--form"]);
const CURL_UPLOAD = new Set(["-T", "--upload-file"]);
export const CURL_VALUED = new Set(
  "-o -H -X -u -A -e -b -c -K -w -m -x -r -E -y -Y -z -U -Q -P -t -C --output --header --request --user --user-agent --referer --cookie --cookie-jar --config --write-out --max-time --proxy --range --cert --cacert --key --connect-timeout --retry --url --resolve --output-dir --oauth2-bearer --retry-delay --limit-rate --interface --connect-to --aws-sigv4 --unix-socket".split(
    " ",
  ),
);

function firstHost(words: readonly Word[], valued: ReadonlySet<string>): string | null {
  for (let i = 0; i < words.length; i++) {
    const v = words[i]?.value ?? "";
    if (valued.has(v) || CURL_DATA.has(v) || CURL_FORM.has(v) || CURL_UPLOAD.has(v)) {
      i++;
      continue;
    }
    if (v.startsWith("-")) continue;
    const h = hostOf(v, true);
    if (h) return h;
  }
  return null;
}

/** Splits `-dVALUE` / `--data=VALUE` into option and value. */
function optionAndValue(args: readonly Word[], i: number, sets: ReadonlySet<string>[]): [string, Word | undefined, number] | null {
  const w = args[i] as Word;
  const v = w.value;
  for (const set of sets) {
    if (set.has(v)) return [v, args[i + 1], i + 1];
    if (v.startsWith("--")) {
      const eq = v.indexOf("=");
      if (eq > 0 && set.has(v.slice(0, eq))) return [v.slice(0, eq), { ...w, value: v.slice(eq + 1) }, i];
    } else if (v.length > 2 && set.has(v.slice(0, 2))) return [v.slice(0, 2), { ...w, value: v.slice(2) }, i];
  }
  return null;
}

function curlLike(name: string, args: readonly Word[], acc: Acc, info: CmdInfo, redirects: readonly Redirect[]): void {
  const host = firstHost(args, CURL_VALUED);
  const dest = host ?? "a remote host";
  let stdin = false;
  for (let i = 0; i < args.length; i++) {
    const hit = optionAndValue(args, i, [CURL_DATA, CURL_FORM, CURL_UPLOAD]);
    if (!hit) {
      const w = args[i] as Word;
      if (CURL_VALUED.has(w.value)) i++;
      else if (!w.value.startsWith("-") && w.subs.length > 0 && (w.value.includes("://") || hostOf(w.value, true)?.includes(".")))
        exfil(acc, `${name} puts the output of a command into the URL it requests from ${dest}`, w);
      continue;
    }
    const [opt, val, next] = hit;
    i = next;
    if (!val) continue;
    let file: string | null;
    if (CURL_UPLOAD.has(opt)) file = val.value;
    else file = uploadedFile(val.value, CURL_FORM.has(opt));
    if (file === "-" || file === "." || file === "/dev/stdin") stdin = true;
    else if (file !== null && file !== "") {
      exfil(acc, `${name} uploads the local file ${file} to ${dest}`);
      const s = secretOf(file);
      if (s) acc.tag(TAGS.secrets);
    } else if (val.subs.length > 0) exfil(acc, `${name} sends the output of a command to ${dest}`, val);
  }
  if (stdin) {
    flowOf(info).sendsStdin = host ?? "";
    const from = redirects.find((r) => r.op === "<" && r.target);
    if (from?.target) exfil(acc, `${name} uploads ${from.target.value} to ${dest}`);
  }
}

const WGET_VALUED = new Set([
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

/** wget's options with a value, the upload options included. */
const WGET_OPERANDS_VALUED = new Set([...WGET_VALUED, "--post-file", "--body-file", "--post-data", "--body-data"]);

function wgetLike(args: readonly Word[], acc: Acc, info: CmdInfo): void {
  const host = firstHost(args, WGET_VALUED);
  const dest = host ?? "a remote host";
  const o = operands(args, WGET_OPERANDS_VALUED);
  const file = optValue(o, "--post-file", "--body-file");
  if (file === "-" || file === "/dev/stdin") flowOf(info).sendsStdin = host ?? "";
  else if (file) exfil(acc, `wget uploads the local file ${file} to ${dest}`);
  for (const w of args) {
    if (w.subs.length === 0) continue;
    if (w.value.includes("://") || w.value.startsWith("--post-data") || w.value.startsWith("--body-data")) {
      exfil(acc, `wget puts the output of a command into what it sends to ${dest}`);
      break;
    }
  }
  const pd = args.findIndex((w) => w.value === "--post-data" || w.value === "--body-data");
  if (pd >= 0 && (args[pd + 1]?.subs.length ?? 0) > 0) exfil(acc, `wget sends the output of a command to ${dest}`);
}

const SCP_VALUED = new Set([
  "-c",
  "-F",
  "-i",
  "-J",
  "-l",
  "-o",
  "-P",
  "-S",
  "-e",
  "-T",
  "-f",
  "-B",
  "--rsh",
  "--exclude",
  "--include",
  "--filter",
  "--rsync-path",
  "--password-file",
  "--port",
  "--files-from",
  "--exclude-from",
  "--include-from",
  "--chmod",
  "--chown",
  "--temp-dir",
  "--log-file",
]);

/** scp/rsync/sftp: local sources copied to a remote destination. */
function copyToRemote(name: string, args: readonly Word[], acc: Acc): void {
  const o = operands(args, SCP_VALUED);
  const pos = o.pos.map((w) => w.value);
  if (pos.length < 2) return;
  const dest = pos[pos.length - 1] as string;
  const host = remoteHostOf(dest);
  if (!host) return;
  const local = pos.slice(0, -1).filter((p) => !remoteHostOf(p));
  if (local.length > 0) exfil(acc, `${name} copies ${local.join(", ")} to ${host}`);
}

const AWS_BOOL = new Set(
  "--recursive --dryrun --quiet --no-progress --delete --follow-symlinks --no-follow-symlinks --only-show-errors --exact-timestamps --size-only --no-guess-mime-type --no-sign-request --debug --no-paginate --no-verify-ssl --force-glacier-transfer --ignore-glacier-warnings".split(
    " ",
  ),
);

/** `aws s3 cp ./dir s3://bucket`, `gsutil cp -r dir gs://b`, `rclone copy dir remote:`. */
function bucketUpload(name: string, args: readonly Word[], acc: Acc, info: CmdInfo): void {
  const vals = args.map((w) => w.value);
  let verbs: string[] = [];
  let pos: string[] = [];
  if (name === "aws") {
    const rest: string[] = [];
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i] as string;
      if (v.startsWith("--")) {
        if (!AWS_BOOL.has(v) && !v.includes("=")) i++;
        continue;
      }
      rest.push(v);
    }
    if (rest[0] !== "s3") return;
    verbs = rest.slice(1, 2);
    pos = rest.slice(2);
    if (!["cp", "mv", "sync"].includes(verbs[0] ?? "")) return;
  } else {
    const rest = vals.filter((v) => !v.startsWith("-"));
    if (name === "gcloud") {
      if (rest[0] !== "storage") return;
      verbs = rest.slice(1, 2);
      pos = rest.slice(2);
    } else {
      verbs = rest.slice(0, 1);
      pos = rest.slice(1);
    }
    const ok =
      name === "gsutil" || name === "gcloud"
        ? ["cp", "mv", "rsync"]
        : name === "s3cmd"
          ? ["put", "sync", "mv", "cp"]
          : ["copy", "sync", "move", "copyto", "moveto", "bisync"];
    if (!ok.includes(verbs[0] ?? "")) return;
  }
  if (pos.length < 2) return;
  const dest = pos[pos.length - 1] as string;
  const remote = (p: string) => /^(s3|gs|az|r2|b2):\/\//.test(p) || (name === "rclone" && /^[A-Za-z0-9_.-]+:/.test(p));
  if (!remote(dest)) return;
  const local = pos.slice(0, -1).filter((p) => !remote(p));
  if (local.includes("-")) flowOf(info).sendsStdin = dest;
  const files = local.filter((p) => p !== "-");
  if (files.length > 0) exfil(acc, `${name} uploads the local ${files.join(", ")} to ${dest}`);
}

const LOOKUPS = new Set([
  "dig",
  "nslookup",
  "host",
  "drill",
  "ping",
  "ping6",
  "traceroute",
  "tracepath",
  "mtr",
  "arping",
  "whois",
  "getent",
  "resolvectl",
  "delv",
  "kdig",
]);

function procSubSend(name: string, w: Word, acc: Acc): void {
  if (!w.raw.startsWith(">(")) return;
  const first = w.subs[0]?.commands[0]?.words[0]?.value ?? "";
  const base = first.slice(first.lastIndexOf("/") + 1);
  if (NET_SENDERS.has(base)) exfil(acc, `${name} writes its output into a process substitution that sends it over the network (${base})`);
}

/** Raw socket clients: they send their standard input to the host they are given. */
const SOCKET_SENDERS = new Set(["nc", "ncat", "netcat", "socat", "telnet", "cryptcat"]);
const OPENSSL_VALUED = new Set(["-connect"]);
const SSH_VALUED = new Set([
  "-b",
  "-c",
  "-D",
  "-E",
  "-e",
  "-F",
  "-I",
  "-i",
  "-J",
  "-L",
  "-l",
  "-m",
  "-O",
  "-o",
  "-p",
  "-Q",
  "-R",
  "-S",
  "-W",
  "-w",
  "-B",
]);
/** Every name the rules of exfiltrationCommand below look at, besides LOOKUPS. */
const SENDER_NAMES = new Set([
  "curl",
  "wget",
  "http",
  "https",
  "xh",
  ...SOCKET_SENDERS,
  "openssl",
  "ssh",
  "scp",
  "rsync",
  "sftp",
  "aws",
  "gsutil",
  "gcloud",
  "rclone",
  "s3cmd",
  "az",
  "gh",
  "huggingface-cli",
  "hf",
]);

export function exfiltrationCommand(name: string, args: readonly Word[], acc: Acc, info: CmdInfo, redirects: readonly Redirect[]): void {
  // Output written into `>(nc host port)`: the process substitution sends it on.
  for (const w of args) if (w.procSub) procSubSend(name, w, acc);
  for (const r of redirects) if (r.target?.procSub) procSubSend(name, r.target, acc);
  if (!SENDER_NAMES.has(name) && !LOOKUPS.has(name)) return;
  if (name === "curl") curlLike(name, args, acc, info, redirects);
  else if (name === "wget") wgetLike(args, acc, info);
  else if (name === "http" || name === "https" || name === "xh") {
    flowOf(info).sendsStdin = "";
    for (const w of args) {
      const f = w.value.startsWith("@") ? w.value.slice(1) : /^[^=:@]+:?=@/.test(w.value) ? w.value.slice(w.value.indexOf("@") + 1) : null;
      if (f) exfil(acc, `${name} uploads the local file ${f}`);
    }
    if (redirects.some((r) => r.op === "<")) exfil(acc, `${name} sends a local file as the request body`);
  } else if (SOCKET_SENDERS.has(name)) {
    if (args.some((w) => /^-[a-zA-Z]*z/.test(w.value))) return;
    const host = args.map((w) => w.value).find((v) => !v.startsWith("-") && hostOf(v, true) && !/^\d+$/.test(v));
    flowOf(info).sendsStdin = host ?? "";
    const from = redirects.find((r) => r.op === "<" && r.target);
    if (from?.target) exfil(acc, `${name} sends ${from.target.value} to ${host ?? "the network"}`);
  } else if (name === "openssl") {
    if (args[0]?.value === "s_client") flowOf(info).sendsStdin = optValue(operands(args.slice(1), OPENSSL_VALUED), "-connect") ?? "";
  } else if (name === "ssh") {
    const o = operands(args, SSH_VALUED);
    const target = o.pos[0]?.value;
    if ([...o.opts.keys()].some((k) => /^-[a-zA-Z]*[LRD]/.test(k) && !k.startsWith("--"))) {
      acc.tag(TAGS.exec, TAGS.network);
      acc.find(
        `ssh forwards ports through ${target ?? "a remote host"} (-L/-R/-D), like kubectl port-forward: traffic crosses in both directions`,
      );
    }
    if (target) {
      flowOf(info).sendsStdin = hostOf(target, true) ?? target;
      const from = redirects.find((r) => r.op === "<" && r.target);
      if (from?.target && o.pos.length > 1) exfil(acc, `ssh sends ${from.target.value} to ${target}`);
    }
  } else if (name === "scp" || name === "rsync" || name === "sftp") copyToRemote(name, args, acc);
  else if (name === "aws" || name === "gsutil" || name === "gcloud" || name === "rclone" || name === "s3cmd")
    bucketUpload(name, args, acc, info);
  else if (name === "az") {
    const pos = args.map((w) => w.value).filter((v) => !v.startsWith("-"));
    if (pos[0] === "storage" && ["blob", "file", "fs"].includes(pos[1] ?? "") && /^upload/.test(pos[2] ?? ""))
      exfil(acc, `az storage ${pos[1]} ${pos[2]} uploads local files to Azure storage`);
  } else if (name === "gh") {
    const pos = args.map((w) => w.value).filter((v) => !v.startsWith("-"));
    if (pos[0] === "gist" && pos[1] === "create") {
      exfil(acc, `gh gist create publishes ${pos.slice(2).join(", ") || "its input"} as a gist`);
      flowOf(info).sendsStdin = "gist.github.com";
    }
  } else if (name === "huggingface-cli" || name === "hf") {
    const pos = args.map((w) => w.value).filter((v) => !v.startsWith("-"));
    if (pos[0] === "upload" || pos[0] === "upload-large-folder")
      exfil(acc, `${name} upload sends ${pos.slice(2).join(", ") || "local files"} to the Hugging Face Hub`);
  }
  if (LOOKUPS.has(name)) {
    for (const w of args) {
      if (w.value.startsWith("-") && !(w.subs.length > 0)) continue;
      const spelled = w.subs.length > 0 || /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?\.[A-Za-z0-9-]+\.[A-Za-z]/.test(w.value);
      if (spelled && w.expanded) {
        exfil(
          acc,
          `${name} spells the output of a command or a variable into ${name === "ping" || name === "ping6" ? "the packets it sends" : "a DNS name"}, which carries it to that domain's servers`,
          w,
        );
        break;
      }
    }
  }
}
