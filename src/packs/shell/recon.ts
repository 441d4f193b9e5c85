import { TAGS } from "../common";
import { flowOf, operands } from "./flow";
import type { Acc, CmdInfo } from "./index";
import { hostOf, isOutsideWorkspace } from "./paths";
import type { Word } from "./tokenize";

/**
 * Mapping a system the way an intruder does before acting (TAGS.recon): port
 * and host scanners, sweeps, zone transfers, directory and cloud-identity
 * enumeration, searches for credential files or setuid binaries outside the
 * workspace, looking for the security software that is running.
 */

/** Scanners and enumeration tools: whatever they are pointed at, they map it. */
const SCANNERS: Record<string, string> = {
  nmap: "scans hosts and ports",
  masscan: "scans hosts and ports",
  zmap: "scans hosts and ports",
  rustscan: "scans hosts and ports",
  naabu: "scans hosts and ports",
  unicornscan: "scans hosts and ports",
  hping3: "probes hosts with crafted packets",
  "arp-scan": "sweeps the local network for hosts",
  netdiscover: "sweeps the local network for hosts",
  nbtscan: "sweeps the network for Windows hosts",
  fping: "pings many hosts at once (a sweep)",
  enum4linux: "enumerates users and shares of Windows hosts",
  "enum4linux-ng": "enumerates users and shares of Windows hosts",
  crackmapexec: "enumerates and tests logins on Windows hosts",
  nxc: "enumerates and tests logins on Windows hosts",
  netexec: "enumerates and tests logins on Windows hosts",
  smbmap: "enumerates SMB shares",
  smbclient: "lists or opens SMB shares",
  rpcclient: "enumerates Windows RPC services",
  snmpwalk: "walks a device's SNMP tree",
  onesixtyone: "sweeps for SNMP devices",
  nikto: "scans a web server for vulnerabilities",
  nuclei: "scans targets for vulnerabilities",
  gobuster: "brute-forces web paths or subdomains",
  dirb: "brute-forces web paths",
  dirsearch: "brute-forces web paths",
  ffuf: "brute-forces web paths and parameters",
  wfuzz: "brute-forces web paths and parameters",
  feroxbuster: "brute-forces web paths",
  whatweb: "fingerprints web technologies",
  wpscan: "scans a WordPress site",
  sqlmap: "probes for SQL injection",
  amass: "enumerates a domain's subdomains",
  subfinder: "enumerates a domain's subdomains",
  assetfinder: "enumerates a domain's subdomains",
  dnsrecon: "enumerates DNS records",
  dnsenum: "enumerates DNS records",
  fierce: "enumerates DNS records",
  dnsx: "resolves and probes many DNS names",
  httpx: "probes many web hosts",
  katana: "crawls web sites for endpoints",
  waybackurls: "collects a domain's known URLs",
  gau: "collects a domain's known URLs",
  theharvester: "collects e-mails and hosts of a domain",
  spiderfoot: "collects intelligence on a target",
  kerbrute: "enumerates Kerberos accounts",
  "bloodhound-python": "maps Active Directory permissions",
  ldapdomaindump: "dumps Active Directory",
  "impacket-getuserspns": "lists Kerberoastable accounts",
  linpeas: "enumerates privilege-escalation paths",
  "linpeas.sh": "enumerates privilege-escalation paths",
};

/** Scanner options that execute (on the target or locally), load scripts or write output files. */
const SCANNER_ACTS =
  /^(-x|-X|-c|-e|-o\S*|--os-\S+|--script\S*|--exec\S*|--command\S*|--output\S*|--sql-shell|--file-write\S*|--eval\S*|--shell\S*|-sC)$/;

const HELP = new Set(["-version", "--version", "-V", "-h", "--help", "-help", "version", "help"]);

function scanner(what: string) {
  return (args: readonly Word[], cx: { name: string; acc: Acc }): CmdInfo => {
    const acc = cx.acc;
    acc.lastCapability = `shell.${cx.name}`;
    if (args.length > 0 && args.every((w) => HELP.has(w.value))) {
      acc.tag(TAGS.read);
      return { name: cx.name };
    }
    acc.tag(TAGS.recon, TAGS.network, TAGS.read);
    acc.find(`${cx.name} ${what}`);
    // Scanners also run commands and scripts on the target or here, and write reports: not a plain read.
    const acting = args.find((w) => SCANNER_ACTS.test(w.value));
    if (acting) {
      acc.tag(TAGS.unclassified);
      acc.find(`${cx.name} ${acting.value} runs commands or scripts, or writes files, which Cordon does not classify`);
    }
    for (const w of args) {
      const h = !w.value.startsWith("-") ? hostOf(w.value, true) : null;
      if (h && /[.:]/.test(h)) {
        acc.host(h);
        break;
      }
    }
    return { name: cx.name };
  };
}

const shodan = (args: readonly Word[], cx: { name: string; acc: Acc }): CmdInfo => {
  const acc = cx.acc;
  acc.lastCapability = "shell.shodan";
  const sub = args.find((w) => !w.value.startsWith("-"))?.value ?? "";
  if (sub === "" || ["info", "version", "help", "-h", "--help"].includes(sub)) acc.tag(TAGS.read, TAGS.network);
  else if (sub === "init") {
    acc.tag(TAGS.write);
    acc.find("shodan init stores an API key in the home directory");
  } else {
    acc.tag(TAGS.recon, TAGS.network, TAGS.read);
    acc.find(`shodan ${sub} looks up exposed hosts and services`);
  }
  return { name: "shodan" };
};

export const RECON_HANDLERS = new Map<string, (args: readonly Word[], cx: { name: string; acc: Acc }) => CmdInfo | undefined>([
  ...Object.entries(SCANNERS).map(([n, what]) => [n, scanner(what)] as const),
  ["shodan", shodan],
]);

/** Security and monitoring software an intruder looks for before acting. */
const SECURITY_PRODUCTS = [
  "crowdstrike",
  "falcon-sensor",
  "falcond",
  "sentinelone",
  "sentinelagent",
  "carbonblack",
  "cbagent",
  "cylance",
  "sophos",
  "defender",
  "mdatp",
  "wazuh",
  "ossec",
  "osquery",
  "auditd",
  "sysmon",
  "falco",
  "tanium",
  "qualys",
  "clamav",
  "clamd",
  "tripwire",
  "snort",
  "suricata",
  "zeek",
  "elastic-agent",
  "edr",
  "antivirus",
  "guardrail",
  "guardrails",
];

/** The first security product a pattern names, or null. */
export function securityProductIn(pattern: string): string | null {
  const words = pattern.toLowerCase().split(/[^a-z0-9-]+/);
  for (const w of words) if (SECURITY_PRODUCTS.includes(w)) return w;
  return null;
}

/** Names of credential files a search looks for (`find / -name '*.pem'`). */
const CREDENTIAL_NAMES =
  /^(\*?\.(pem|key|p12|pfx|kdbx|keystore|jks|ppk|ovpn|tfstate|env)|id_(rsa|dsa|ecdsa|ed25519)\*?|\.?env|\.netrc|\.git-credentials|\.pgpass|credentials(\.json)?\*?|shadow|kubeconfig|\*?(secret|password|passwd|credential|token)s?\*?(\.\w+)?)$/i;

function findRecon(vals: readonly string[], acc: Acc): void {
  const roots: string[] = [];
  for (const v of vals) {
    if (v.startsWith("-") || v === "!" || v === "(") break;
    roots.push(v);
  }
  if (!roots.some((r) => isOutsideWorkspace(r) || r === "~" || r === "$HOME")) return;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i] ?? "";
    const next = vals[i + 1] ?? "";
    if ((v === "-name" || v === "-iname" || v === "-path" || v === "-ipath") && CREDENTIAL_NAMES.test(next.replace(/^.*\//, ""))) {
      acc.tag(TAGS.recon);
      acc.find(`find searches ${roots.join(" ")} for credential files (${next})`);
      return;
    }
    if (v === "-perm" && /^(-|\/)?(u=s|g=s|[0-7]*[2-7][0-7]{3}|o\+w|-o\+w|a\+w)$/.test(next)) {
      acc.tag(TAGS.recon);
      acc.find(`find searches ${roots.join(" ")} for setuid, setgid or world-writable files`);
      return;
    }
    if (v === "-writable" && roots.some((r) => r === "/")) {
      acc.tag(TAGS.recon);
      acc.find("find lists every writable place on the machine");
      return;
    }
  }
}

/** Cloud calls that list users, roles, groups or permissions. */
function cloudIdentity(name: string, vals: readonly string[]): boolean {
  const pos = vals.filter((v) => !v.startsWith("-"));
  if (name === "aws") {
    const [svc, verb = ""] = pos;
    if (
      svc === "iam" &&
      (/^list-/.test(verb) || /^get-account-(authorization-details|summary)$/.test(verb) || verb.startsWith("simulate-"))
    )
      return true;
    if (svc === "organizations" && verb.startsWith("list-")) return true;
    return false;
  }
  if (name === "gcloud") {
    if (pos.includes("get-iam-policy") || (pos[0] === "asset" && /iam/.test(pos[1] ?? ""))) return true;
    return pos[0] === "iam" && pos.includes("list");
  }
  if (name === "az") {
    if (
      pos[0] === "ad" &&
      ["user", "group", "sp", "app", "signed-in-user"].includes(pos[1] ?? "") &&
      (pos[2] === "list" || pos[3] === "list")
    )
      return true;
    return pos[0] === "role" && (pos[1] === "assignment" || pos[1] === "definition") && pos[2] === "list";
  }
  return false;
}

/** Commands the rules below look at, the scanners included. */
const RECON_NAMES = new Set([
  ..."ps pgrep pidof find ldapsearch dig kdig drill host nslookup ping ping6 fping arping nc ncat netcat traceroute".split(" "),
  ..."aws gcloud az".split(" "),
  ...Object.keys(SCANNERS),
]);
/** Commands an address sweep (`ping 10.0.0.$i`) is looked for in. */
const SWEEPERS = new Set(["ping", "ping6", "fping", "arping", "nc", "ncat", "netcat", "traceroute"]);

export function reconCommand(name: string, args: readonly Word[], acc: Acc, info: CmdInfo, given?: readonly string[]): void {
  if (!RECON_NAMES.has(name)) return;
  const vals = given ?? args.map((w) => w.value);
  // A scanner the main table already handles (fping, ...): still a scan.
  const scan = Object.hasOwn(SCANNERS, name) ? SCANNERS[name] : undefined;
  if (scan && !(args.length > 0 && args.every((w) => HELP.has(w.value)))) {
    if (
      name !== "fping" ||
      vals.some((v) => v === "-g" || v === "--generate" || v.includes("/")) ||
      vals.filter((v) => !v.startsWith("-")).length > 2
    ) {
      acc.tag(TAGS.recon);
      acc.find(`${name} ${scan}`);
      const acting = args.find((w) => SCANNER_ACTS.test(w.value));
      if (acting) {
        acc.tag(TAGS.unclassified);
        acc.find(`${name} ${acting.value} runs commands or scripts, or writes files, which Cordon does not classify`);
      }
    }
  }
  if (name === "ps") flowOf(info).processList = true;
  if (name === "pgrep" || name === "pidof") {
    const pat = vals.find((v) => !v.startsWith("-"));
    const product = pat ? securityProductIn(pat) : null;
    if (product) {
      acc.tag(TAGS.recon);
      acc.find(`${name} looks for security software (${product}) among the running processes`);
    }
  }
  if (name === "find") findRecon(vals, acc);
  if (name === "ldapsearch" && !vals.some((v, i) => v === "-s" && vals[i + 1] === "base")) {
    acc.tag(TAGS.recon, TAGS.read);
    acc.find("ldapsearch queries the directory for users, groups or machines");
  }
  if (name === "dig" || name === "kdig" || name === "drill") {
    if (vals.some((v) => /^(axfr|ixfr)(=|$)/i.test(v) || /^-t(axfr|ixfr)$/i.test(v))) {
      acc.tag(TAGS.recon);
      acc.find(`${name} asks for a zone transfer, which lists every name in the zone`);
    }
  }
  if (name === "host" && vals.some((v) => v === "-l" || /^-t$/.test(v)) && vals.some((v) => /^axfr$/i.test(v) || v === "-l")) {
    acc.tag(TAGS.recon);
    acc.find("host -l asks for a zone transfer, which lists every name in the zone");
  }
  if (name === "nslookup" && vals.some((v) => /^-(type|query|q)=(axfr|any)$/i.test(v))) {
    acc.tag(TAGS.recon);
    acc.find("nslookup asks for every record of the zone");
  }
  // `ping 10.0.0.$i` in a loop: an address sweep.
  if (SWEEPERS.has(name)) {
    if (args.some((w) => w.expanded && /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\$/.test(w.value))) {
      acc.tag(TAGS.recon);
      acc.find(`${name} walks through addresses of a network (a sweep)`);
    }
  }
  if ((name === "nc" || name === "ncat" || name === "netcat") && vals.some((v) => /^-[a-zA-Z]*z/.test(v))) {
    const o = operands(args, new Set(["-w", "-p", "-s", "-i"]));
    const ports = o.pos.slice(1).map((w) => w.value);
    if (ports.some((p) => /^\d+-\d+$/.test(p)) || ports.length > 2) {
      acc.tag(TAGS.recon);
      acc.find(`${name} -z scans a range of ports`);
    }
  }
  if ((name === "aws" || name === "gcloud" || name === "az") && cloudIdentity(name, vals)) {
    acc.tag(TAGS.recon);
    acc.find(
      `${name} ${vals
        .filter((v) => !v.startsWith("-"))
        .slice(0, 3)
        .join(" ")} lists cloud users, roles or permissions`,
    );
  }
}
