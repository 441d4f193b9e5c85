import type { Derived } from "../../engine/types";
import { derived, isProduction, TAGS } from "../common";
import { BRACED_HOME, credentialFileOf, newCredentialAction } from "../credentials";
import type { Pack, PackContext } from "../index";
import { optionValue, type ParsedOptions, parseOptions } from "../options";
import { classifyShellLine, quoteArg } from "../shell/index";
import { baseName, hostOf } from "../shell/paths";
import { simpleArgv } from "../shell/tokenize";

/**
 * The kubernetes pack: kubectl (and oc) and helm command lines into
 * `k8s.<kind>.<verb>` / `helm.release.<verb>` with read/write/destructive/exec
 * tags, the namespace and context as labels, and `production` when either is in
 * the policy's production environment. Options are parsed, so their order and
 * spelling (`-n x`, `-nx`, `--namespace=x`) do not matter.
 */

/** Short and plural resource names to the singular kind used in capabilities. */
const KINDS: Record<string, string> = {
  po: "pod",
  pods: "pod",
  svc: "service",
  services: "service",
  deploy: "deployment",
  deployments: "deployment",
  ns: "namespace",
  namespaces: "namespace",
  no: "node",
  nodes: "node",
  cm: "configmap",
  configmaps: "configmap",
  secrets: "secret",
  sts: "statefulset",
  statefulsets: "statefulset",
  ds: "daemonset",
  daemonsets: "daemonset",
  rs: "replicaset",
  replicasets: "replicaset",
  rc: "replicationcontroller",
  replicationcontrollers: "replicationcontroller",
  pvc: "persistentvolumeclaim",
  persistentvolumeclaims: "persistentvolumeclaim",
  pv: "persistentvolume",
  persistentvolumes: "persistentvolume",
  ing: "ingress",
  ingresses: "ingress",
  jobs: "job",
  cj: "cronjob",
  cronjobs: "cronjob",
  sa: "serviceaccount",
  serviceaccounts: "serviceaccount",
  roles: "role",
  rolebindings: "rolebinding",
  clusterroles: "clusterrole",
  clusterrolebindings: "clusterrolebinding",
  ev: "event",
  events: "event",
  ep: "endpoints",
  hpa: "horizontalpodautoscaler",
  horizontalpodautoscalers: "horizontalpodautoscaler",
  netpol: "networkpolicy",
  networkpolicies: "networkpolicy",
  pdb: "poddisruptionbudget",
  poddisruptionbudgets: "poddisruptionbudget",
  sc: "storageclass",
  storageclasses: "storageclass",
  crd: "customresourcedefinition",
  crds: "customresourcedefinition",
  customresourcedefinitions: "customresourcedefinition",
  limits: "limitrange",
  limitranges: "limitrange",
  quota: "resourcequota",
  resourcequotas: "resourcequota",
  pc: "priorityclass",
  priorityclasses: "priorityclass",
  csr: "certificatesigningrequest",
  certificatesigningrequests: "certificatesigningrequest",
  cs: "componentstatus",
  componentstatuses: "componentstatus",
  leases: "lease",
  mutatingwebhookconfigurations: "mutatingwebhookconfiguration",
  validatingwebhookconfigurations: "validatingwebhookconfiguration",
  all: "all",
};

/** `deployments.apps` → `deployment`, `po` → `pod`, `Widgets` → `widget`. */
export function normalizeKind(raw: string): string {
  let k = raw.toLowerCase();
  const dot = k.indexOf(".");
  if (dot > 0) k = k.slice(0, dot);
  const known = Object.hasOwn(KINDS, k) ? KINDS[k] : undefined;
  if (known) return known;
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(k)) return "unknown";
  if (k.endsWith("ies")) return `${k.slice(0, -3)}y`;
  if (k.endsWith("sses") || k.endsWith("xes") || k.endsWith("ches") || k.endsWith("shes")) return k.slice(0, -2);
  if (k.endsWith("s") && !k.endsWith("ss") && k !== "endpoints") return k.slice(0, -1);
  return k;
}

const LONG_VALUE = new Set([
  "namespace",
  "context",
  "cluster",
  "user",
  "kubeconfig",
  "server",
  "token",
  "as",
  "as-group",
  "as-uid",
  "selector",
  "output",
  "filename",
  "container",
  "field-selector",
  "replicas",
  "current-replicas",
  "resource-version",
  "timeout",
  "grace-period",
  "type",
  "image",
  "patch",
  "from-literal",
  "from-file",
  "from-env-file",
  "port",
  "target-port",
  "name",
  "overrides",
  "request-timeout",
  "certificate-authority",
  "client-certificate",
  "client-key",
  "password",
  "username",
  "template",
  "sort-by",
  "label-columns",
  "since",
  "since-time",
  "tail",
  "max-log-requests",
  "pod-running-timeout",
  "kustomize",
  "prune-allowlist",
  "field-manager",
  "subresource",
  "env",
  "limits",
  "requests",
  "serviceaccount",
  "labels",
  "role",
  "clusterrole",
  "verb",
  "resource",
  "min",
  "max",
  "cpu-percent",
  "to-revision",
  "revision",
  "address",
  "chunk-size",
  "profile",
  "target",
  "copy-to",
  "for",
  "cache-dir",
  "tls-server-name",
  "values",
  "set",
  "set-string",
  "set-file",
  "set-json",
  "version",
  "repo",
  "post-renderer",
  "post-renderer-args",
  "kube-context",
  "ca-file",
  "cert-file",
  "key-file",
  "description",
  "kube-apiserver",
  "kube-token",
  "kube-as-user",
  "kube-as-group",
  "registry-config",
  "repository-config",
  "repository-cache",
  "name-template",
  "keyring",
]);

const SHORT_VALUE = "nlofcsLkpe";

type K8sArgs = ParsedOptions;

function parseK8s(args: readonly string[], shortValue: string, booleanShort: string): K8sArgs {
  return parseOptions(args, { valueShort: shortValue, valueLong: LONG_VALUE, booleanShort, stripEquals: true });
}

const str = optionValue;

/** What a kubectl verb does to the cluster. */
const READ_VERBS = new Set([
  "get",
  "describe",
  "logs",
  "log",
  "top",
  "explain",
  "api-resources",
  "api-versions",
  "version",
  "cluster-info",
  "diff",
  "wait",
  "events",
  "kustomize",
  "completion",
  "options",
  "help",
  // The kubectl-convert plugin (sig-cli) rewrites manifests to another API version and prints them.
  "convert",
]);
const WRITE_VERBS = new Set([
  "apply",
  "create",
  "patch",
  "label",
  "annotate",
  "scale",
  "set",
  "rollout",
  "edit",
  "replace",
  "expose",
  "autoscale",
  "run",
  "uncordon",
  "certificate",
  "config",
  "auth",
  "proxy",
]);
const EXEC_VERBS = new Set(["exec", "attach", "port-forward", "cp", "debug"]);
/** Verbs whose operands are pods (`logs web-1`, `exec web-1`). */
const POD_VERBS = new Set(["logs", "log", "exec", "attach", "port-forward", "debug"]);
const NODE_VERBS = new Set(["drain", "cordon", "uncordon"]);
const CLUSTER_VERBS = new Set([
  "api-resources",
  "api-versions",
  "version",
  "cluster-info",
  "completion",
  "options",
  "help",
  "kustomize",
  "proxy",
]);
/** `kubectl config` subcommands whose operands are context names. */
const CONTEXT_SUBS = new Set(["use-context", "use", "set-context", "delete-context", "rename-context"]);
/** `kubectl get -o` formats that print no field of the object beyond its name and status columns. */
const NAME_OUTPUTS = new Set(["wide", "name"]);
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const PRIVILEGED_KINDS = new Set([
  "role",
  "rolebinding",
  "clusterrole",
  "clusterrolebinding",
  "certificatesigningrequest",
  "mutatingwebhookconfiguration",
  "validatingwebhookconfiguration",
]);

class Out {
  readonly tags = new Set<string>();
  readonly findings: string[] = [];
  readonly labels: Record<string, string> = {};
  constructor(readonly ctx: PackContext) {}
  tag(...t: string[]): void {
    for (const x of t) this.tags.add(x);
  }
  env(label: "namespace" | "context" | "cluster", value: string | undefined): void {
    if (!value) return;
    if (label !== "cluster" && this.labels[label] === undefined) this.labels[label] = value;
    if (isProduction(value, this.ctx)) {
      this.tags.add(TAGS.production);
      this.findings.push(`the ${label} ${value} is in the production environment`);
    }
  }
}

/** Common flags: namespace, context, impersonation, credentials on the command line. */
function commonFlags(o: K8sArgs, out: Out, helm: boolean): void {
  out.env("namespace", str(o.short.get("n")) ?? str(o.long.get("namespace")));
  out.env("context", str(o.long.get(helm ? "kube-context" : "context")));
  out.env("cluster", str(o.long.get("cluster")));
  if (o.long.has("as") || o.long.has("as-group") || o.long.has("kube-as-user") || o.long.has("kube-as-group")) {
    out.tag(TAGS.privilege);
    out.findings.push(
      `impersonates ${str(o.long.get("as")) ?? str(o.long.get("kube-as-user")) ?? str(o.long.get("as-group")) ?? str(o.long.get("kube-as-group")) ?? "another user"}`,
    );
  }
  if (o.long.has("token") || o.long.has("password") || o.long.has("kube-token")) {
    out.tag(TAGS.secrets);
    out.findings.push("carries a credential on the command line");
  }
  if (o.long.has("all-namespaces") || o.short.get("A") === true) out.labels.namespace = "*";
  // `--server https://x`: the current context's token or client certificate go to that server instead.
  const server = str(o.long.get(helm ? "kube-apiserver" : "server")) ?? (helm ? undefined : str(o.short.get("s")));
  if (server) {
    out.tag(TAGS.secrets);
    out.findings.push(`sends the current context's credentials to the API server ${server} (${helm ? "--kube-apiserver" : "--server"})`);
    const host = hostOf(server, true);
    if (host && out.labels.host === undefined) out.labels.host = host;
  }
  // A kubeconfig other than the user's own can name an exec credential plugin: a program kubectl runs.
  const kubeconfig = str(o.long.get("kubeconfig"));
  if (kubeconfig && !DEFAULT_KUBECONFIGS.has(kubeconfig)) {
    out.tag(TAGS.unclassified);
    out.findings.push(
      `--kubeconfig ${kubeconfig}: a kubeconfig can name an exec credential plugin, a program kubectl runs, and Cordon cannot see the file`,
    );
  }
  // `-o go-template-file=F`, `-o jsonpath-file=F`: the template is read from a local file and printed as text.
  const output = str(o.short.get("o")) ?? str(o.long.get("output"));
  const fileForm = output ? /^(?:go-template-file|jsonpath-file|template-file)=(.+)$/.exec(output) : null;
  const template = fileForm?.[1] ?? (output && /-file$/.test(output) ? str(o.long.get("template")) : undefined);
  if (template) {
    const what = credentialFileOf(template);
    if (what) {
      out.tag(TAGS.secrets);
      out.findings.push(`prints ${template} (${what}) as its output template`);
    }
  }
}

/** The user's own kubeconfig, as it is usually written (a different file may run a plugin of its own). */
const DEFAULT_KUBECONFIGS = new Set(["~/.kube/config", "$HOME/.kube/config", `${BRACED_HOME}/.kube/config`]);

/** `kubectl get --raw PATH`: a GET of any API path; secrets read that way are still secrets, and `/proxy/` reaches a pod's or node's own API. */
function rawPath(args: readonly string[], out: Out): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    const path = a === "--raw" ? args[i + 1] : a.startsWith("--raw=") ? a.slice(6) : undefined;
    if (path === undefined) continue;
    const p = path.toLowerCase();
    if (p.includes("/secrets")) {
      out.tag(TAGS.secrets);
      out.findings.push(`reads Kubernetes secrets through the raw API (${path})`);
    }
    if (p.includes("/proxy")) {
      out.tag(TAGS.unclassified);
      out.findings.push(`--raw ${path} goes through the API server's proxy to a pod's or node's own API, which Cordon does not classify`);
    }
  }
}

function classifyKubectl(args: readonly string[], out: Out, depth: number): string {
  let o = parseK8s(args, SHORT_VALUE, "");
  // `logs -f` follows and `logs -p` shows the previous container: there they take no value.
  const v0 = (o.pos[0] ?? "").toLowerCase();
  if (v0 === "logs" || v0 === "log") o = parseK8s(args, SHORT_VALUE, "fp");
  commonFlags(o, out, false);
  rawPath(args, out);
  const verb = (o.pos[0] ?? "").toLowerCase();
  let rest = o.pos.slice(1);
  if (verb === "") {
    out.tag(TAGS.read);
    return "k8s.cluster.help";
  }
  const dryRunVal = o.long.get("dry-run");
  const dryRun = dryRunVal !== undefined && dryRunVal !== "none" && dryRunVal !== "false";
  let capVerb = verb;
  let kind = "unknown";
  /** Every kind named (`get secrets,configmaps` names two). */
  let kinds: string[] = [];
  let names: string[] = [];

  // Subcommand groups.
  let sub = "";
  if (["rollout", "config", "auth", "set", "certificate", "top", "apply", "create", "plugin"].includes(verb) && rest.length > 0) {
    const first = rest[0] ?? "";
    const hasSub =
      verb === "rollout" ||
      verb === "config" ||
      verb === "auth" ||
      verb === "set" ||
      verb === "certificate" ||
      verb === "plugin" ||
      verb === "create" ||
      verb === "top" ||
      (verb === "apply" && first.endsWith("-last-applied"));
    if (hasSub && !first.includes("/")) {
      sub = first.toLowerCase();
      rest = rest.slice(1);
    }
  }

  // Resource kind and names.
  const takeResources = (list: string[]): void => {
    if (list.length === 0) return;
    const first = list[0] ?? "";
    if (first.includes("/")) {
      for (const r of list) {
        const slash = r.indexOf("/");
        if (slash < 0) continue;
        const k = normalizeKind(r.slice(0, slash));
        if (kind === "unknown") kind = k;
        kinds.push(k);
        names.push(r.slice(slash + 1));
      }
      return;
    }
    kinds = first.split(",").map(normalizeKind);
    kind = kinds.length > 1 ? "multiple" : (kinds[0] ?? "unknown");
    names = list.slice(1);
  };

  if (POD_VERBS.has(verb) || verb === "cp") {
    const target = rest[0] ?? "";
    if (verb === "cp") {
      kind = "pod";
      for (const r of rest) {
        const colon = r.indexOf(":");
        if (colon > 0) names.push(r.slice(0, colon).split("/").pop() ?? "");
      }
    } else if (target.includes("/")) {
      const slash = target.indexOf("/");
      kind = normalizeKind(target.slice(0, slash));
      names = [target.slice(slash + 1)];
    } else {
      kind = "pod";
      if (target) names = [target];
    }
  } else if (NODE_VERBS.has(verb)) {
    kind = "node";
    names = rest.map((r) => (r.includes("/") ? r.slice(r.indexOf("/") + 1) : r));
  } else if (verb === "taint") {
    takeResources(rest.filter((r) => !r.includes("=") && !r.endsWith("-") && !r.includes(":")));
    if (kind === "unknown") kind = "node";
  } else if (verb === "config" || verb === "auth" || CLUSTER_VERBS.has(verb)) {
    kind = verb === "config" ? "config" : verb === "auth" ? "auth" : "cluster";
    // `config use-context prod`: every later command goes to that context.
    if (verb === "config" && CONTEXT_SUBS.has(sub)) for (const c of rest) out.env("context", c);
  } else if (verb === "create" && sub !== "") {
    kind = normalizeKind(sub === "secret" ? "secret" : sub);
    names = rest.filter((r) => !r.includes("=")).slice(sub === "secret" ? 1 : 0);
  } else if (verb === "top") {
    kind = normalizeKind(sub || "pod");
    names = rest;
  } else if (verb === "certificate") {
    kind = "certificatesigningrequest";
    names = rest;
  } else if (verb === "run") {
    kind = "pod";
    names = rest.slice(0, 1);
  } else if (verb === "explain") {
    kind = normalizeKind((rest[0] ?? "unknown").split(".")[0] ?? "unknown");
  } else {
    takeResources(
      verb === "label" || verb === "annotate" || verb === "set"
        ? rest.filter((r) => !r.includes("=") && !(r.endsWith("-") && r.length > 1))
        : rest,
    );
  }
  if (kind === "unknown" && (o.short.has("f") || o.long.has("filename"))) kind = "manifest";
  if (kind === "unknown" && (o.short.has("k") || o.long.has("kustomize"))) kind = "kustomization";

  // The verb in the capability.
  if (verb === "get") capVerb = names.length > 0 ? "get" : "list";
  else if (verb === "log") capVerb = "logs";
  else if (
    sub !== "" &&
    (verb === "rollout" ||
      verb === "set" ||
      verb === "auth" ||
      verb === "config" ||
      verb === "certificate" ||
      verb === "apply" ||
      verb === "plugin")
  )
    capVerb = verb === "config" || verb === "auth" ? sub : `${verb}-${sub}`;
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(capVerb)) capVerb = "unknown";

  // Namespaces named as the resource itself.
  if (kind === "namespace") for (const n of names) out.env("namespace", n);
  if (kind !== "unknown" && kind !== "cluster" && kind !== "config" && kind !== "auth") out.labels.resource = kind;
  if (names[0]) out.labels.name = names[0];

  const all = o.long.has("all") || o.long.has("all-namespaces") || o.short.get("A") === true;
  const destroy = (why: string): void => {
    out.tag(TAGS.write, TAGS.destructive);
    out.findings.push(why);
    if (all)
      out.findings.push(
        `${o.long.has("all") ? "--all" : "--all-namespaces"} widens it to every ${kind === "unknown" ? "resource" : kind}${o.long.has("all-namespaces") || o.short.get("A") === true ? " in every namespace" : ""}`,
      );
  };
  const what = `${kind === "unknown" ? "resources" : kind}${names.length ? ` ${names.join(", ")}` : ""}`;

  if (verb === "delete") destroy(`kubectl delete removes ${what}`);
  else if (verb === "drain") destroy(`kubectl drain evicts every pod from ${what}`);
  else if (verb === "cordon") destroy(`kubectl cordon stops scheduling on ${what}`);
  else if (verb === "taint") destroy(`kubectl taint can evict workloads from ${what}`);
  else if (verb === "scale") {
    const replicas = str(o.long.get("replicas"));
    if (replicas !== undefined && Number(replicas) === 0) destroy(`kubectl scale --replicas=0 takes ${what} down`);
    else out.tag(TAGS.write);
  } else if (verb === "apply" && o.long.has("prune")) destroy("kubectl apply --prune deletes every resource missing from the manifests");
  else if (verb === "replace" && o.long.has("force")) destroy(`kubectl replace --force deletes and recreates ${what}`);
  else if (verb === "rollout") {
    if (sub === "undo") destroy(`kubectl rollout undo rolls ${what} back to an earlier revision`);
    else if (sub === "status" || sub === "history") out.tag(TAGS.read);
    else out.tag(TAGS.write);
  } else if (verb === "config") {
    if (sub === "view" || sub === "current-context" || sub.startsWith("get-")) {
      out.tag(TAGS.read);
      if (sub === "view" && (o.long.has("raw") || o.long.has("flatten"))) {
        out.tag(TAGS.secrets);
        out.findings.push("kubectl config view --raw prints cluster credentials");
      }
    } else out.tag(TAGS.write);
  } else if (verb === "auth") {
    if (sub === "reconcile") out.tag(TAGS.write, TAGS.privilege);
    else out.tag(TAGS.read);
  } else if (verb === "certificate") {
    out.tag(TAGS.write);
    if (sub === "approve") {
      out.tag(TAGS.privilege);
      out.findings.push("approving a certificate signing request grants a new identity");
    }
  } else if (verb === "proxy") {
    // A tunnel like port-forward: the API server, and every pod and service behind its proxy paths.
    out.tag(TAGS.exec, TAGS.write, TAGS.network);
    const address = str(o.long.get("address"));
    out.findings.push(
      `kubectl proxy serves the Kubernetes API, and the pods and services behind it, on ${address ?? "127.0.0.1"} with your credentials`,
    );
    if (address !== undefined && !LOOPBACK.has(address)) out.findings.push(`--address ${address} lets other machines use it`);
    if (o.long.has("disable-filter")) out.findings.push("--disable-filter lets exec and attach through the proxy");
  } else if (EXEC_VERBS.has(verb)) {
    out.tag(TAGS.exec, TAGS.write);
    if (verb === "debug" && (kind === "node" || o.long.has("profile"))) {
      if (kind === "node" || str(o.long.get("profile")) === "sysadmin") {
        out.tag(TAGS.privilege);
        out.findings.push("kubectl debug with host access");
      }
    }
    if (o.tail.length > 0 && depth < 8) {
      // What runs inside the container is classified too: `exec web -- rm -rf /` is still rm -rf /.
      const inner = classifyShellLine(o.tail.map(quoteArg).join(" "), out.ctx, depth + 1);
      for (const t of inner.risk_tags) if (t !== TAGS.read) out.tag(t);
      for (const f of inner.findings) out.findings.push(`inside the container: ${f}`);
    }
  } else if (READ_VERBS.has(verb)) out.tag(TAGS.read);
  else if (WRITE_VERBS.has(verb)) out.tag(TAGS.write);
  else {
    out.tag(TAGS.unclassified);
    out.findings.push(`kubectl ${verb} is not a command Cordon knows (it may be a plugin)`);
  }

  const secretKind = kind === "secret" || kinds.includes("secret");
  if (secretKind && (verb === "get" || verb === "describe")) {
    // A table, `-o wide` or `-o name` lists Secrets; describe shows each key's size. Any other output prints the data.
    const output = str(o.short.get("o")) ?? str(o.long.get("output"));
    if (verb === "get" && (o.long.has("template") || (output !== undefined && !NAME_OUTPUTS.has(output.toLowerCase())))) {
      out.tag(TAGS.secrets);
      out.findings.push("prints the data of Kubernetes secrets");
    } else {
      out.tag(TAGS.recon);
      out.findings.push("lists Kubernetes secrets (names, types and sizes, not the values)");
    }
  } else if (secretKind && (verb === "edit" || verb === "create" || verb === "apply")) {
    out.tag(TAGS.secrets);
    out.findings.push(verb === "edit" ? "opens Kubernetes secrets for editing" : "writes a Kubernetes secret");
  }
  if (verb === "auth" && sub === "can-i" && o.long.has("list")) {
    out.tag(TAGS.recon);
    out.findings.push("kubectl auth can-i --list enumerates every permission of the identity");
  }
  if (verb === "create" && sub === "token") {
    out.tag(TAGS.secrets);
    out.findings.push("mints a service account token");
  }
  if (PRIVILEGED_KINDS.has(kind) && !READ_VERBS.has(verb)) {
    out.tag(TAGS.privilege);
    out.findings.push(`changes ${kind} access control`);
  }
  if ((verb === "run" || verb === "debug") && o.long.has("privileged")) {
    out.tag(TAGS.privilege);
    out.findings.push(`kubectl ${verb} --privileged`);
  }
  if (dryRun) {
    out.tags.delete(TAGS.write);
    out.tags.delete(TAGS.destructive);
    out.tags.delete(TAGS.exec);
    out.tag(TAGS.read);
    out.findings.push(`--dry-run=${dryRunVal === true ? "client" : dryRunVal}: nothing is changed`);
  }
  // `kubectl <verb> ... --help` (or -h) prints the verb's usage and does nothing else. A plugin gets the flag
  // and runs, so an unknown verb stays unclassified.
  if ((o.long.get("help") === true || o.short.get("h") === true) && !out.tags.has(TAGS.unclassified)) {
    out.tags.clear();
    out.findings.length = 0;
    out.tag(TAGS.read);
    out.findings.push(`--help: kubectl ${verb} only prints its usage`);
    return `k8s.${capSegment(kind)}.help`;
  }
  return `k8s.${capSegment(kind)}.${capSegment(capVerb)}`;
}

/** `kind: X` in YAML or `"kind": "X"` in JSON, anywhere in a manifest (documents, lists, roleRef, subjects). */
const MANIFEST_KIND = /(?:^|\n)[ \t-]*kind[ \t]*:[ \t]*["']?([A-Za-z][\w-]{0,62})|"kind"\s*:\s*"([A-Za-z][\w-]{0,62})"/g;
const MANIFEST_API = /(?:^|\n)[ \t-]*apiVersion[ \t]*:|"apiVersion"\s*:/;
/** Pod-spec fields that give a container the host or root on it, with what each means. */
const HOST_ACCESS: readonly [RegExp, string][] = [
  [/["']?privileged["']?\s*:\s*["']?true\b/, "a privileged container (privileged: true)"],
  [/["']?hostPID["']?\s*:\s*["']?true\b/, "a pod in the host's process namespace (hostPID: true)"],
  [/["']?hostIPC["']?\s*:\s*["']?true\b/, "a pod in the host's IPC namespace (hostIPC: true)"],
  [/["']?hostNetwork["']?\s*:\s*["']?true\b/, "a pod on the host's network (hostNetwork: true)"],
  [/["']?hostPath["']?\s*:/, "a hostPath volume (the node's file system inside the pod)"],
  [/["']?allowPrivilegeEscalation["']?\s*:\s*["']?true\b/, "a container allowed to escalate privileges"],
  [/\b(?:SYS_ADMIN|SYS_PTRACE|SYS_MODULE|DAC_READ_SEARCH|NET_ADMIN|CAP_SYS_ADMIN)\b/, "a container with host-level capabilities"],
];
const CLUSTER_ADMIN = /\bname[ \t"']*:[ \t"']*cluster-admin\b/;

/**
 * What a Kubernetes manifest (YAML or JSON text) would do once applied, or null
 * when the text is not a manifest: RBAC objects and admission webhooks change
 * access control, and privileged or host-namespace pods reach the node. Used for
 * manifests carried in MCP arguments and file contents.
 */
export function manifestRisks(text: string): { tags: string[]; findings: string[] } | null {
  if (!text.includes("apiVersion") || !text.includes("kind") || !MANIFEST_API.test(text)) return null;
  const tags = new Set<string>();
  const findings: string[] = [];
  const kinds = new Set<string>();
  for (const m of text.matchAll(MANIFEST_KIND)) {
    const raw = m[1] ?? m[2];
    if (raw) kinds.add(raw);
  }
  if (kinds.size === 0) return null;
  const rbac = [...kinds].filter((k) => PRIVILEGED_KINDS.has(normalizeKind(k)));
  if (rbac.length > 0) {
    tags.add(TAGS.privilege);
    findings.push(
      `a Kubernetes manifest that changes access control (${rbac.join(", ")})${CLUSTER_ADMIN.test(text) ? ", naming cluster-admin" : ""}`,
    );
  }
  for (const [re, what] of HOST_ACCESS) {
    if (re.test(text)) {
      tags.add(TAGS.privilege);
      findings.push(`a Kubernetes manifest with ${what}`);
    }
  }
  return { tags: [...tags], findings };
}

/** `/api/v1/[namespaces/<ns>/]<resource>[/<name>[/<subresource>]]` of the Kubernetes API. */
const CORE_API_PATH = /^\/api\/v1\/(?:namespaces\/([^/?#]+)\/)?([a-z]+)(?:\/([^/?#]+)(?:\/([a-z]+))?)?\/?(?:[?#]|$)/;

/**
 * What a request to a Kubernetes API path does beyond its HTTP method, or null:
 * reading Secrets returns their data, and the exec, attach and portforward
 * subresources of a pod run inside it.
 */
export function kubernetesApiPathRisks(path: string, method: string): { tags: string[]; findings: string[] } | null {
  const m = CORE_API_PATH.exec(path);
  if (!m) return null;
  const [, ns, resource, name, sub] = m;
  if (resource === "secrets" && sub === undefined && (method === "GET" || method === "HEAD")) {
    return {
      tags: [TAGS.secrets],
      findings: [`reads Kubernetes secrets${name ? ` ${name}` : ""}${ns ? ` in namespace ${ns}` : " in every namespace"} through the API`],
    };
  }
  if (resource === "pods" && name && (sub === "exec" || sub === "attach" || sub === "portforward")) {
    return { tags: [TAGS.exec], findings: [`${sub} into pod ${name} through the Kubernetes API`] };
  }
  return null;
}

/** A capability segment: lower-case letters, digits and '-', never empty (an unparseable name is "unknown"). */
function capSegment(s: string): string {
  const clean = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return clean === "" ? "unknown" : clean;
}

const HELM_RELEASE_VERBS: Record<string, string> = {
  install: "install",
  upgrade: "upgrade",
  uninstall: "uninstall",
  delete: "uninstall",
  del: "uninstall",
  un: "uninstall",
  rollback: "rollback",
  list: "list",
  ls: "list",
  status: "status",
  get: "get",
  history: "history",
  hist: "history",
  test: "test",
};
const HELM_READ = new Set([
  "list",
  "status",
  "get",
  "history",
  "show",
  "inspect",
  "template",
  "search",
  "lint",
  "version",
  "env",
  "verify",
  "completion",
  "help",
]);

function classifyHelm(args: readonly string[], out: Out): string {
  const o = parseK8s(args, "nfo", "");
  commonFlags(o, out, true);
  const raw = (o.pos[0] ?? "").toLowerCase();
  const rest = o.pos.slice(1);
  const dryRunVal = o.long.get("dry-run");
  const dryRun = dryRunVal !== undefined && dryRunVal !== "false" && dryRunVal !== "none";
  const releaseVerb = Object.hasOwn(HELM_RELEASE_VERBS, raw) ? HELM_RELEASE_VERBS[raw] : undefined;
  let cap: string;
  if (releaseVerb) {
    out.labels.resource = "release";
    const name = releaseVerb === "get" ? rest[1] : rest[0];
    if (name && !(releaseVerb === "install" && o.long.has("generate-name"))) out.labels.name = name;
    cap = `helm.release.${releaseVerb}`;
    switch (releaseVerb) {
      case "uninstall":
        out.tag(TAGS.write, TAGS.destructive);
        out.findings.push(`helm uninstall removes the release ${rest.join(", ")} and its resources`);
        break;
      case "rollback":
        out.tag(TAGS.write, TAGS.destructive);
        out.findings.push(`helm rollback reverts the release ${name ?? ""} to an earlier revision`.trim());
        break;
      case "install":
      case "upgrade":
        out.tag(TAGS.write);
        if (o.long.has("force")) {
          out.tag(TAGS.destructive);
          out.findings.push(`helm ${releaseVerb} --force deletes and recreates resources`);
        }
        break;
      case "test":
        out.tag(TAGS.write, TAGS.exec);
        break;
      default:
        out.tag(TAGS.read);
    }
  } else if (raw === "repo") {
    const sub = (rest[0] ?? "list").toLowerCase();
    cap = `helm.repo.${/^[a-z-]{1,30}$/.test(sub) ? sub : "unknown"}`;
    if (sub === "list") out.tag(TAGS.read);
    else out.tag(TAGS.write);
    if (sub === "add" || sub === "update" || sub === "up") out.tag(TAGS.network);
  } else if (raw === "plugin") {
    const sub = (rest[0] ?? "list").toLowerCase();
    cap = `helm.plugin.${/^[a-z-]{1,30}$/.test(sub) ? sub : "unknown"}`;
    if (sub === "list" || sub === "ls") out.tag(TAGS.read);
    else {
      out.tag(TAGS.write, TAGS.unclassified);
      out.findings.push("helm plugins run arbitrary code");
    }
  } else if (raw === "registry") {
    cap = "helm.registry.login";
    out.tag(TAGS.write, TAGS.network, TAGS.secrets);
  } else if (raw === "dependency" || raw === "dep") {
    const sub = (rest[0] ?? "list").toLowerCase();
    cap = `helm.chart.dependency-${/^[a-z-]{1,30}$/.test(sub) ? sub : "unknown"}`;
    if (sub === "list") out.tag(TAGS.read);
    else out.tag(TAGS.write, TAGS.network);
  } else if (raw === "pull" || raw === "fetch" || raw === "push") {
    cap = `helm.chart.${raw === "fetch" ? "pull" : raw}`;
    out.tag(TAGS.write, TAGS.network);
  } else if (raw === "package" || raw === "create") {
    cap = `helm.chart.${raw}`;
    out.tag(TAGS.write);
  } else if (HELM_READ.has(raw)) {
    cap = `helm.chart.${raw === "inspect" ? "show" : raw}`;
    out.tag(TAGS.read);
  } else if (raw === "") {
    cap = "helm.chart.help";
    out.tag(TAGS.read);
  } else {
    cap = "helm.unknown.unknown";
    out.tag(TAGS.unclassified);
    out.findings.push(`helm ${raw} is not a command Cordon knows (it may be a plugin)`);
  }
  if (o.long.has("post-renderer")) {
    out.tag(TAGS.unclassified);
    out.findings.push("helm --post-renderer runs a local program of the caller's choosing");
  }
  if (o.long.has("all-namespaces") || o.short.get("A") === true) {
    if (out.tags.has(TAGS.destructive)) out.findings.push("--all-namespaces widens it to every namespace");
  }
  if (dryRun) {
    out.tags.delete(TAGS.write);
    out.tags.delete(TAGS.destructive);
    out.tags.delete(TAGS.exec);
    out.tag(TAGS.read);
    out.findings.push("--dry-run: nothing is changed");
  }
  return cap;
}

/**
 * Classify a kubectl/oc or helm command given as argv (`["kubectl", "delete",
 * "ns", "prod"]`). `depth` is how deeply this is nested inside other shell
 * commands (bounds `exec -- sh -c ...` recursion). Never throws.
 */
export function classifyKubernetes(argv: readonly string[], ctx: PackContext, depth = 0): Derived {
  const out = new Out(ctx);
  const tool = baseName(argv[0] ?? "").toLowerCase();
  let cap: string;
  if (tool === "helm") cap = classifyHelm(argv.slice(1), out);
  else if (tool === "kubectl" || tool === "oc" || tool === "kubectl.exe") cap = classifyKubectl(argv.slice(1), out, depth);
  else {
    // No tool name: assume kubectl arguments.
    cap = classifyKubectl(argv, out, depth);
  }
  return derived(cap, out.tags, out.labels, out.findings);
}

function kubeArgv(action: Record<string, unknown>): string[] | null {
  const tool = action.kind === "helm" ? "helm" : "kubectl";
  const args = action.args;
  if (Array.isArray(args)) {
    const list = args.filter((a): a is string => typeof a === "string");
    if (list.length !== args.length) return null;
    const first = baseName(list[0] ?? "");
    return first === "kubectl" || first === "helm" || first === "oc" ? list : [tool, ...list];
  }
  if (typeof action.verb === "string") {
    const argv = [tool, action.verb];
    if (typeof action.resource === "string") argv.push(action.resource);
    if (typeof action.name === "string") argv.push(action.name);
    if (typeof action.namespace === "string") argv.push("--namespace", action.namespace);
    if (typeof action.context === "string") argv.push(tool === "helm" ? "--kube-context" : "--context", action.context);
    return argv;
  }
  return null;
}

const OVERLAY = `rules:
  - id: kubernetes-destructive-production
    match:
      risk_tags: [destructive, production]
    decision: DENY
    reason: Destructive Kubernetes operations in production are blocked
  - id: kubernetes-exec-production
    match:
      risk_tags: [exec, production]
    decision: DENY
    reason: Running commands inside production workloads is blocked
`;

/** The kubernetes pack: `{kind: "kubernetes" | "kubectl" | "helm", command | args | verb...}`. */
export const kubernetesPack: Pack = {
  name: "kubernetes",
  summary: "kubectl and helm: verbs, resource kinds, namespaces and contexts, production targets",
  classify(action: Record<string, unknown>, ctx: PackContext): Derived | null {
    const kind = action.kind;
    if (kind !== "kubernetes" && kind !== "kubectl" && kind !== "helm" && kind !== "k8s") return null;
    newCredentialAction();
    const argv = kubeArgv(action);
    if (argv) return classifyKubernetes(argv, ctx);
    const command = action.command;
    if (typeof command !== "string") {
      return derived("k8s.unknown.unknown", [TAGS.unclassified], {}, ["a kubernetes action with no command, args or verb"]);
    }
    const simple = simpleArgv(command);
    const tool = baseName(simple?.[0] ?? "");
    if (simple && (tool === "kubectl" || tool === "helm" || tool === "oc")) return classifyKubernetes(simple, ctx);
    // Not one plain kubectl/helm command: classify the whole line as shell.
    return classifyShellLine(command, ctx);
  },
  overlay: OVERLAY,
};
