/**
 * What a URL reaches, beyond where it goes (`hostRisk` in `./index.ts` judges
 * the host): well-known endpoints that hand out credentials or run code, and
 * the file behind a `file:` URL. The http pack applies it to every request;
 * the mcp pack to the URLs a fetch or browser tool is given, and it reads
 * database connection URLs with `databaseUrlRisks`.
 */
import { kubernetesApiPathRisks } from "../kubernetes/index";

/** Spring Boot actuator endpoints that return configuration, the environment or memory (credentials among them). */
const ACTUATOR_SECRETS: Record<string, string> = {
  env: "the application's environment and properties",
  configprops: "the application's configuration properties",
  heapdump: "a dump of the application's memory",
};

export interface EndpointRisks {
  tags: string[];
  findings: string[];
  /** The local file a `file:` URL names, for the path checks; null otherwise. */
  filePath: string | null;
}

const NONE: EndpointRisks = { tags: [], findings: [], filePath: null };

/** The endpoint-level risks of `url` fetched with `method` (upper case). Never throws. */
export function endpointRisks(url: string, method: string): EndpointRisks {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return NONE;
  }
  return endpointRisksOf(u, method);
}

/** {@link endpointRisks} of a URL already parsed. */
export function endpointRisksOf(u: URL, method: string): EndpointRisks {
  if (u.protocol === "file:") {
    let p = u.pathname;
    try {
      p = decodeURIComponent(p);
    } catch {
      // Keep the encoded form; the path checks still see most of it.
    }
    return { tags: [], findings: [], filePath: p };
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return NONE;
  // As servers read it: percent-decoded, `;params` dropped from each segment (Spring strips
  // them), a trailing slash ignored, so `/actuator/%65nv`, `/actuator/env;x` and `/.env/` match.
  let path = u.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Keep the encoded form.
  }
  // Only a path holding a `;` has parameters to drop.
  if (path.includes(";"))
    path = path
      .split("/")
      .map((seg) => seg.split(";")[0] ?? "")
      .join("/");
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  const tags: string[] = [];
  const findings: string[] = [];
  const k8s = kubernetesApiPathRisks(path, method);
  if (k8s) {
    tags.push(...k8s.tags);
    findings.push(...k8s.findings);
  }
  const a = path.toLowerCase().indexOf("/actuator/");
  if (a >= 0 && (method === "GET" || method === "HEAD")) {
    const endpoint =
      path
        .slice(a + 10)
        .split("/")[0]
        ?.toLowerCase() ?? "";
    const what = Object.hasOwn(ACTUATOR_SECRETS, endpoint) ? ACTUATOR_SECRETS[endpoint] : undefined;
    if (what) {
      tags.push("secrets");
      findings.push(`Spring Boot actuator /${endpoint} returns ${what}, credentials included`);
    }
  }
  const base = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (base === ".env" || (base.startsWith(".env.") && !/^\.env\.(?:example|sample|template|dist)$/.test(base))) {
    tags.push("secrets");
    findings.push(`fetches the environment file ${base} of ${u.hostname}`);
  }
  return tags.length === 0 ? NONE : { tags, findings, filePath: null };
}

/** Schemes of database connection URLs (`jdbc:` is stripped first). */
const DB_SCHEMES = new Set([
  "postgres",
  "postgresql",
  "mysql",
  "mariadb",
  "mongodb",
  "mongodb+srv",
  "redis",
  "rediss",
  "sqlite",
  "sqlite3",
  "mssql",
  "sqlserver",
  "oracle",
  "cockroachdb",
  "clickhouse",
  "amqp",
  "amqps",
]);

const SCHEME = /^\s*(?:jdbc:)?([a-z][a-z0-9+.-]*):/i;

/** The scheme of a URL, lower case, with a `jdbc:` prefix removed; null when there is none. */
export function schemeOf(url: string): string | null {
  const m = SCHEME.exec(url);
  return m?.[1] ? m[1].toLowerCase() : null;
}

export function isDatabaseUrl(url: string): boolean {
  const s = schemeOf(url);
  return s !== null && DB_SCHEMES.has(s);
}

/**
 * A database connection URL: where it connects, and whether it carries a
 * password. Databases live on private networks, so a private or loopback host
 * is not SSRF here; cloud metadata still is. `sqlite:` names a local file.
 */
export function databaseUrlRisks(raw: string, hostRisk: (host: string) => string | null): EndpointRisks & { host: string | null } {
  const url = raw.trim().replace(/^jdbc:/i, "");
  const scheme = schemeOf(url) ?? "";
  if (scheme === "sqlite" || scheme === "sqlite3") {
    const path = url.replace(/^[a-z0-9]+:\/*/i, (m) => (m.endsWith("///") || m.endsWith("//") ? "/" : ""));
    return { tags: [], findings: [], filePath: path.startsWith("/./") ? path.slice(3) : path, host: null };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { tags: ["unclassified"], findings: ["a database URL that does not parse"], filePath: null, host: null };
  }
  const tags = ["network"];
  const findings: string[] = [];
  const host = u.hostname.toLowerCase();
  if (u.password !== "") {
    tags.push("secrets");
    findings.push(`the ${scheme} connection URL carries a password`);
  }
  const risk = host === "" ? null : hostRisk(host);
  if (risk?.startsWith("cloud metadata")) {
    tags.push("ssrf");
    findings.push(`connects to ${risk}`);
  }
  return { tags, findings, filePath: null, host: host === "" ? null : host };
}
