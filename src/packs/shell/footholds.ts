import { TAGS } from "../common";
import { operands } from "./flow";
import type { Acc } from "./index";
import { isScratch } from "./paths";
import { persistentTarget } from "./persistence";
import type { Script, Word } from "./tokenize";

/**
 * Footholds that outlast the command and that the per-command rules miss:
 * - files named as options (`touch -- '--checkpoint=1'`, `echo > -rf`): a
 *   later `*` glob hands the name to a command as an option, so what that
 *   command does is hidden in a file name — obfuscated;
 * - immutable or append-only attributes (`chattr +i`) on a temporary file or
 *   on a file that runs on its own: the file survives removal and cleanup —
 *   evasion;
 * - cloud identities and keys (`aws iam create-user`, `gcloud iam
 *   service-accounts keys create`, `az ad sp create-for-rbac`): a new principal
 *   that outlives the session — privilege, and secrets when the command prints
 *   or saves the new credential.
 */

/** Names that are options but change nothing a later command does harmfully (`-i` is the classic guard against `rm *`). */
const HARMLESS_OPTION_NAMES = new Set(["--help", "-h", "--version", "-i", "--interactive"]);

/** The file name of `path` when it starts with a dash (an option once a glob expands it), or null. */
export function optionNamed(path: string): string | null {
  if (path.length > 4096) return null;
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (base.length < 2 || !base.startsWith("-") || HARMLESS_OPTION_NAMES.has(base)) return null;
  return base;
}

function optionFile(acc: Acc, path: string, kind: "file" | "directory"): void {
  const base = optionNamed(path);
  if (!base) return;
  acc.tag(TAGS.obfuscated, TAGS.write);
  acc.find(
    `creates a ${kind} named ${base.length > 60 ? `${base.slice(0, 60)}…` : base}: a later * glob hands it to a command as an option, which changes what that command does`,
  );
}

const WRITE_OPS = new Set([">", ">>", ">|", "&>", "&>>"]);

/** Redirection targets named as options (`: > -rf`, `echo > '--checkpoint-action=exec=sh x.sh'`). */
export function footholdsScript(script: Script, acc: Acc): void {
  for (const c of script.commands)
    for (const r of c.redirects) if (r.target && WRITE_OPS.has(r.op) && !r.target.expanded) optionFile(acc, r.target.value, "file");
}

/** Commands that create the files they are given, with their options that take a value. */
const CREATORS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["touch", new Set(["-d", "-r", "-t", "--date", "--reference"])],
  ["mkdir", new Set(["-m", "--mode", "-Z", "--context"])],
  ["tee", new Set<string>()],
]);

/** `chattr +i FILE`: the attribute words and the files. */
function chattr(args: readonly Word[], acc: Acc): void {
  const modes: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? "";
    if (v === "-v" || v === "-p") i++;
    else if (/^[+=-][aAcCdDeFijmPsStTux]+$/.test(v) && files.length === 0 && !/^-[RVf]+$/.test(v)) modes.push(v);
    else if (!/^-[RVf]+$/.test(v)) files.push(v);
  }
  const locks = modes.find((m) => (m.startsWith("+") || m.startsWith("=")) && /[ia]/.test(m));
  if (!locks) return;
  const what = locks.includes("i") ? "immutable" : "append-only";
  for (const f of files) {
    const runs = persistentTarget(f);
    if (!isScratch(f) && !f.startsWith("/dev/shm/") && !runs) continue;
    acc.tag(TAGS.evasion);
    acc.find(
      `chattr ${locks} makes ${f} ${what}: not even root can delete or replace it until the attribute is removed, so ${runs ? `it stays in place (${runs})` : "cleaning the temporary directory cannot remove it"}`,
    );
    return;
  }
}

/** The verb words of a cloud CLI call (options and their values dropped where obvious). */
function verbsOf(args: readonly Word[]): string[] {
  return args
    .map((w) => w.value)
    .filter((v) => !v.startsWith("-"))
    .slice(0, 5)
    .map((v) => v.toLowerCase());
}

function grant(acc: Acc, what: string, secret?: string): void {
  acc.tag(TAGS.privilege, TAGS.network);
  acc.find(what);
  if (secret) {
    acc.tag(TAGS.secrets);
    acc.find(secret);
  }
}

function cloudIdentity(name: string, args: readonly Word[], acc: Acc): void {
  const v = verbsOf(args);
  const seq = v.join(" ");
  if (name === "aws" && v[0] === "iam") {
    const verb = v[1] ?? "";
    if (verb === "create-user" || verb === "create-role" || verb === "create-service-linked-role")
      grant(acc, `aws iam ${verb} creates a new cloud identity, which can hold keys and rights beyond this session`);
    else if (verb === "create-access-key")
      grant(acc, "aws iam create-access-key creates a long-lived access key", "aws iam create-access-key prints the new secret access key");
    else if (verb === "create-login-profile" || verb === "update-login-profile")
      grant(acc, `aws iam ${verb} sets a console password for an IAM user`, `aws iam ${verb} carries the password on the command line`);
    else if (verb === "create-service-specific-credential" || verb === "reset-service-specific-credential")
      grant(acc, `aws iam ${verb} creates a credential for an IAM user`, `aws iam ${verb} prints the new password`);
    else if (verb === "create-policy-version" && args.some((w) => w.value === "--set-as-default"))
      grant(acc, "aws iam create-policy-version --set-as-default changes the rights every holder of the policy has");
  } else if (name === "gcloud") {
    if (seq.startsWith("iam service-accounts keys create"))
      grant(
        acc,
        "gcloud iam service-accounts keys create creates a long-lived key for a service account",
        "gcloud iam service-accounts keys create writes the new private key to a file",
      );
    else if (seq.startsWith("iam service-accounts create"))
      grant(acc, "gcloud iam service-accounts create creates a new cloud identity, which can hold keys and rights beyond this session");
  } else if (name === "az") {
    if (seq.startsWith("ad sp create-for-rbac"))
      grant(
        acc,
        "az ad sp create-for-rbac creates a service principal and gives it a role",
        "az ad sp create-for-rbac prints the new service principal's password",
      );
    else if (/^ad (sp|app) credential reset/.test(seq))
      grant(
        acc,
        `az ${v.slice(0, 4).join(" ")} replaces an application's credential`,
        `az ${v.slice(0, 4).join(" ")} prints the new password`,
      );
    else if (/^ad (user|sp|app) create/.test(seq)) grant(acc, `az ${v.slice(0, 3).join(" ")} creates a new cloud identity`);
  }
}

/** Called by afterCommand (through channels.ts) for every classified command. */
export function footholdsCommand(name: string, args: readonly Word[], acc: Acc): void {
  const valued = CREATORS.get(name);
  if (valued)
    for (const w of operands(args, valued).pos) if (!w.expanded) optionFile(acc, w.value, name === "mkdir" ? "directory" : "file");
  if (name === "chattr") chattr(args, acc);
  if (name === "aws" || name === "gcloud" || name === "az") cloudIdentity(name, args, acc);
}
