/**
 * Kubernetes MCP servers (`kubectl_delete {resourceType, name, namespace}`,
 * `pods_exec {name, command}`, `kubectl_scale {replicas}`) expose kubectl
 * verbs as tools. Their calls are rebuilt into the kubectl command they stand
 * for, so the kubernetes pack judges them as it judges kubectl itself.
 */

/** Words that make a tool a Kubernetes tool. */
const K8S_WORDS = new Set(["kubectl", "k8s", "kubernetes", "kube", "pods", "pod"]);
/** Argument names only Kubernetes tools use. */
const K8S_KEYS = ["resourceType", "resource_type", "nodeName", "node_name", "podName", "pod_name"];
/** Verbs that act on workloads or nodes, not on resources in general. */
const WORKLOAD_VERBS = new Set(["port-forward", "exec", "logs", "attach", "drain", "cordon", "uncordon", "scale", "rollout"]);
const POD_VERBS = new Set(["exec", "logs", "attach", "port-forward"]);
const NODE_VERBS = new Set(["cordon", "uncordon", "drain"]);
/** Tool-name words to kubectl verbs. */
const VERBS: Record<string, string> = {
  get: "get",
  list: "get",
  describe: "describe",
  delete: "delete",
  remove: "delete",
  apply: "apply",
  create: "create",
  scale: "scale",
  patch: "patch",
  logs: "logs",
  log: "logs",
  exec: "exec",
  run: "run",
  rollout: "rollout",
  cordon: "cordon",
  uncordon: "uncordon",
  drain: "drain",
  label: "label",
  annotate: "annotate",
  top: "top",
  edit: "edit",
  replace: "replace",
  expose: "expose",
  taint: "taint",
  cp: "cp",
  attach: "attach",
  debug: "debug",
};

function pick(args: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = args[k];
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number") return String(v);
  }
  return undefined;
}

/**
 * The kubectl argv a Kubernetes MCP tool call stands for, or null when the tool
 * is not one (its name names neither Kubernetes nor a kubectl verb).
 */
export function kubectlArgvOf(words: readonly string[], args: unknown): string[] | null {
  const a = args !== null && typeof args === "object" && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
  // Named for Kubernetes, or shaped like it: a resource type or node name, or a namespace for a workload verb
  // (the verb is looked for only once one of those holds).
  const k8sLike = words.some((w) => K8S_WORDS.has(w)) || K8S_KEYS.some((k) => Object.hasOwn(a, k));
  if (!k8sLike && typeof a.namespace !== "string") return null;
  let verb: string | undefined;
  if (words.includes("port") && words.includes("forward")) verb = "port-forward";
  else for (const w of words) if (!verb && Object.hasOwn(VERBS, w)) verb = VERBS[w];
  if (!k8sLike && !(verb !== undefined && WORKLOAD_VERBS.has(verb))) return null;
  // `kubectl_generic {command: "delete", ...}` names the verb in an argument.
  const named = pick(a, ["verb", "subCommand", "subcommand", "operation", "action"]);
  if (!verb && named && /^[a-z][a-z-]{1,30}$/.test(named)) verb = named;
  if (!verb) return null;
  const podTool = words.includes("pods") || words.includes("pod");
  const kind = pick(a, ["resourceType", "resource_type", "resource", "kind", "type"]) ?? (podTool ? "pod" : undefined);
  const name = pick(a, ["name", "resourceName", "resource_name", "podName", "pod_name", "pod", "node", "nodeName"]);
  const argv = ["kubectl", verb];
  if (verb === "rollout") argv.push(pick(a, ["subCommand", "subcommand", "action"]) ?? "status");
  if (POD_VERBS.has(verb)) {
    // `exec`, `logs`, `port-forward` take `kind/name` (a pod when no kind is given).
    if (name) argv.push(kind && !/^pods?$/i.test(kind) ? `${kind}/${name}` : name);
  } else {
    if (kind && !NODE_VERBS.has(verb)) argv.push(kind);
    if (name) argv.push(name);
  }
  const ns = pick(a, ["namespace", "ns"]);
  if (ns) argv.push("--namespace", ns);
  const context = pick(a, ["context", "kubeContext", "kube_context"]);
  if (context) argv.push("--context", context);
  const output = pick(a, ["output", "outputFormat", "output_format", "format"]);
  if (output) argv.push("--output", output);
  const replicas = pick(a, ["replicas"]);
  if (replicas !== undefined) argv.push(`--replicas=${replicas}`);
  if (a.allNamespaces === true || a.all_namespaces === true) argv.push("--all-namespaces");
  if (a.force === true) argv.push("--force");
  if (a.all === true) argv.push("--all");
  const dry = a.dryRun ?? a.dry_run;
  if (dry === true || (typeof dry === "string" && dry !== "none" && dry !== "false"))
    argv.push(`--dry-run=${dry === true ? "client" : dry}`);
  const command = a.command;
  if (verb === "exec" || verb === "debug" || verb === "run") {
    if (typeof command === "string" && command !== "") argv.push("--", "sh", "-c", command);
    else if (Array.isArray(command) && command.length > 0 && command.every((c) => typeof c === "string"))
      argv.push("--", ...(command as string[]));
  }
  return argv;
}
