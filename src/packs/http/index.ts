import type { Derived } from "../../engine/types";
import { derived, isProduction, TAGS } from "../common";
import type { Pack, PackContext } from "../index";
import { injectionFindings } from "../injection";
import { credentialOf } from "../mcp/paths";
import { dropSiteOf } from "./dropsites";
import { endpointRisksOf } from "./endpoints";

/**
 * The HTTP pack: `{kind: "http", method, url, headers?, body?}`.
 *
 * The URL is parsed with the WHATWG parser (the one `fetch` uses), which
 * already turns `http://2130706433/`, `0x7f000001`, `0177.0.0.1` and `127.1`
 * into `127.0.0.1`; the checks then run on the canonical address, so an
 * encoding trick cannot move a request out of the SSRF ranges. The path is
 * judged by `./endpoints.ts` (credential-returning endpoints, the Kubernetes
 * API), the same rules the mcp pack applies to a fetch tool's URL. A host that
 * is still a template (`{instance}`, `${HOST}`) is unclassified. A body that
 * is a local file (`@path`, a multipart file part) is exfiltration. Credentials
 * in headers, URLs and bodies are left to the secrets pack.
 */

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const METHOD = /^[A-Za-z]{1,16}$/;
const TRAILING_DOT = /\.$/;
/** Longer URLs are refused as unclassified rather than parsed. */
const MAX_URL = 16 * 1024;

/** Names that always point inside the machine or the cloud account. */
const INTERNAL_NAMES = new Set([
  "localhost",
  "metadata",
  "metadata.google.internal",
  "instance-data",
  "instance-data.ec2.internal",
  "lvh.me",
  "localtest.me",
]);
const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".localdomain", ".lvh.me", ".localtest.me"];

/** Public wildcard-DNS services (`10.0.0.1.nip.io` resolves to 10.0.0.1). */
const WILDCARD_DNS = /(?:^|\.)(?:nip\.io|sslip\.io|xip\.io|traefik\.me|nip\.direct)$/;
/** Four numbers in a wildcard-DNS name, after a dot or dash (`10-0-0-1.nip.io`, `app.10.0.0.1.sslip.io`). */
const SPELLED_V4 = /(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})(?=[.-])/;
/** Eight hex digits ending a wildcard-DNS name, after a dot or dash (nip.io's hex form). */
const WILDCARD_HEX = /(?:^|[.-])([0-9a-f]{8})$/;

/** Headers and query parameters through which frameworks let a POST act as another method. */
const METHOD_OVERRIDE_HEADERS = new Set(["x-http-method-override", "x-http-method", "x-method-override"]);

/** Cloud metadata endpoints: credentials for the whole account sit behind these. */
const METADATA_V4 = new Set(["169.254.169.254", "169.254.170.2", "100.100.100.200", "168.63.129.16", "192.0.0.192"]);

/** IPv4 ranges that are not the public internet, as [first octets mask, prefix length, description]. */
const PRIVATE_V4: readonly [number, number, string][] = [
  [0x00000000, 8, "the unspecified network 0.0.0.0/8"],
  [0x0a000000, 8, "private network 10.0.0.0/8"],
  [0x64400000, 10, "carrier-grade NAT 100.64.0.0/10"],
  [0x7f000000, 8, "loopback 127.0.0.0/8"],
  [0xa9fe0000, 16, "link-local 169.254.0.0/16"],
  [0xac100000, 12, "private network 172.16.0.0/12"],
  [0xc0000000, 24, "IETF protocol assignments 192.0.0.0/24"],
  [0xc0a80000, 16, "private network 192.168.0.0/16"],
  [0xc6120000, 15, "benchmark network 198.18.0.0/15"],
  [0xe0000000, 4, "multicast 224.0.0.0/4"],
  [0xf0000000, 4, "reserved 240.0.0.0/4"],
];

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(s: string): number | null {
  const m = DOTTED_QUAD.exec(s);
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    n = n * 256 + o;
  }
  return n;
}

const v4String = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/** Why an IPv4 address (as a 32-bit number) is not a public address, or null. */
function v4Risk(n: number): string | null {
  const s = v4String(n);
  if (METADATA_V4.has(s)) return `cloud metadata endpoint ${s}`;
  for (const [net, bits, what] of PRIVATE_V4) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === net) return `${what} (${s})`;
  }
  return null;
}

/** Expand an IPv6 address (no brackets, no zone) into eight 16-bit groups, or null. */
function parseV6(s: string): number[] | null {
  let text = s;
  let tail: number[] = [];
  const v4 = /:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (v4) {
    const n = parseV4(v4[1] as string);
    if (n === null) return null;
    tail = [n >>> 16, n & 0xffff];
    // Keep a `::` that ends right before the IPv4 part; drop a single separating colon.
    const prefix = text.slice(0, v4.index + 1);
    text = prefix.endsWith("::") ? prefix : prefix.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const part = (h: string): number[] | null => {
    if (h === "") return [];
    const out: number[] = [];
    for (const g of h.split(":")) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = part(halves[0] as string);
  const rest = halves.length === 2 ? part(halves[1] as string) : [];
  if (!head || !rest) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 && known !== 8) return null;
  if (known > 8) return null;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}

/** Why an IPv6 address is not a public address, or null. */
function v6Risk(g: number[]): string | null {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h = 0, l = 0] = g;
  const embedded = ((h << 16) | l) >>> 0;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0 && h === 0 && l <= 1)
    return l === 1 ? "loopback ::1" : "the unspecified address ::";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && (f === 0xffff || f === 0)) return v4Risk(embedded);
  if (a === 0x64 && b === 0xff9b) return v4Risk(embedded);
  if (a === 0x2002) return v4Risk(((b << 16) | c) >>> 0);
  if ((a & 0xfe00) === 0xfc00)
    return a === 0xfd00 && b === 0xec2 ? "cloud metadata endpoint fd00:ec2::254" : "unique local address fc00::/7";
  if ((a & 0xffc0) === 0xfe80) return "link-local fe80::/10";
  if ((a & 0xff00) === 0xff00) return "multicast ff00::/8";
  return null;
}

/** Why a canonical WHATWG hostname points somewhere an agent must not reach, or null. */
export function hostRisk(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(TRAILING_DOT, "");
  if (host.startsWith("[") && host.endsWith("]")) {
    const g = parseV6(host.slice(1, -1).replace(/%.*$/, ""));
    return g ? v6Risk(g) : "an IPv6 address Cordon cannot read";
  }
  const v4 = parseV4(host);
  if (v4 !== null) return v4Risk(v4);
  if (INTERNAL_NAMES.has(host)) return `internal host name ${host}`;
  for (const suffix of INTERNAL_SUFFIXES) if (host.endsWith(suffix)) return `internal host name ${host}`;
  // Wildcard DNS services resolve a name that spells an address to that address. Only the known
  // services count: on any other domain `10-0-0-1.example.com` is just a name.
  const spelled = WILDCARD_DNS.test(host) ? SPELLED_V4.exec(host) : null;
  if (spelled) {
    const n = parseV4(spelled.slice(1, 5).join("."));
    const r = n === null ? null : v4Risk(n);
    if (r) return `a name that resolves to ${r}`;
  }
  const service = WILDCARD_DNS.exec(host);
  if (service) {
    const sub = host.slice(0, service.index);
    // nip.io also reads eight hex digits ending the name as an address: `app-c0a80101.nip.io` is 192.168.1.1.
    const hex = service[0].endsWith("nip.io") ? WILDCARD_HEX.exec(sub) : null;
    const r = hex ? v4Risk(Number.parseInt(hex[1] as string, 16)) : null;
    if (r) return `a name that resolves to ${r}`;
    // sslip.io spells IPv6 with dashes for colons: `--1.sslip.io` is ::1, `fe80--1.sslip.io` is fe80::1.
    const label = sub.slice(sub.lastIndexOf(".") + 1);
    if (service[0].endsWith("sslip.io") && label.includes("-")) {
      const g = parseV6(label.replace(/-/g, ":"));
      const r6 = g ? v6Risk(g) : null;
      if (r6) return `a name that resolves to ${r6}`;
    }
  }
  return null;
}

/** A method name given as a header or query value, upper case, or null. */
function methodNamed(v: unknown): string | null {
  return typeof v === "string" && METHOD.test(v.trim()) ? v.trim().toUpperCase() : null;
}

/** The method named by an override header (`X-HTTP-Method-Override: DELETE`) or a `_method` query parameter. */
function methodOverride(headers: unknown, url: unknown): string | null {
  if (Array.isArray(headers)) {
    for (const h of headers) {
      if (Array.isArray(h) && typeof h[0] === "string" && METHOD_OVERRIDE_HEADERS.has(h[0].toLowerCase())) return methodNamed(h[1]);
    }
  } else if (typeof headers === "object" && headers !== null) {
    for (const [k, v] of Object.entries(headers)) if (METHOD_OVERRIDE_HEADERS.has(k.toLowerCase())) return methodNamed(v);
  }
  if (typeof url === "string" && url.includes("_method=")) {
    const m = /[?&]_method=([A-Za-z]{1,16})(?:[&#]|$)/.exec(url);
    if (m) return methodNamed(m[1]);
  }
  return null;
}

/** Characters of a template placeholder or wildcard (`{instance}`, `${HOST}`, `$(cmd)`, `*.x`); never in a real host name. */
const PLACEHOLDER_CHARS = /[{}$*`()]/;

/**
 * Whether a body (or form field) names a local file the client reads: `@path`
 * as curl and HTTPie spell it (a path has a `/`, `.` or `~`), `@-` for
 * standard input. `@alice` and `@a@b.c` are text. Returns the file, or null.
 */
function fileReference(text: string): string | null {
  const t = text.trim();
  if (t.length < 2 || t.length > 4096 || t.charCodeAt(0) !== 64) return null;
  const rest = t.slice(1);
  if (rest === "-") return "standard input";
  return !WHITESPACE.test(rest) && !rest.includes("@") && PATH_MARK.test(rest) ? rest : null;
}
const WHITESPACE = /\s/;
const PATH_MARK = /[/.~]/;
/** A multipart part that is a file: `Content-Disposition: form-data; name="f"; filename="x"`. */
const MULTIPART_FILE = /content-disposition:[ \t]*form-data;[^\r\n]*?\bfilename\*?=[ \t]*(?:"([^"\r\n]{0,256})"|([^;\s]{0,256}))/i;
/** Fields whose `@path` value is a file to send, as `curl -F` and HTTPie read a form; in any other field `@x` is text. */
const FILE_FIELDS = new Set([
  "file",
  "files",
  "upload",
  "uploads",
  "attachment",
  "attachments",
  "document",
  "media",
  "image",
  "photo",
  "video",
]);
/** Bounds on the walk over a structured body. */
const MAX_BODY_NODES = 200;
const MAX_BODY_DEPTH = 4;

/** The value of header `name` (lower case) in an object or a list of pairs, or null. */
function headerValue(headers: unknown, name: string): string | null {
  if (Array.isArray(headers)) {
    for (const h of headers)
      if (Array.isArray(h) && typeof h[0] === "string" && h[0].toLowerCase() === name && typeof h[1] === "string") return h[1];
  } else if (typeof headers === "object" && headers !== null) {
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name && typeof v === "string") return v;
  }
  return null;
}

/** Headers only a cloud metadata service reads (GCP, AWS IMDSv2, Alibaba), lower case; Azure's `Metadata: true` is checked by value. */
const METADATA_HEADERS = new Set([
  "metadata-flavor",
  "x-google-metadata-request",
  "x-aws-ec2-metadata-token",
  "x-aws-ec2-metadata-token-ttl-seconds",
  "x-aliyun-ecs-metadata-token",
  "x-aliyun-ecs-metadata-token-ttl-seconds",
]);

/** A line break in a header name or value: the text after it becomes another header, or another request. */
const LINE_BREAK = /[\r\n]/;

/** The name of a header (object or pairs) whose name or value holds a line break, or null. */
function splitHeader(headers: unknown): string | null {
  const pairs: [unknown, unknown][] = Array.isArray(headers)
    ? headers.slice(0, 200).map((h) => (Array.isArray(h) ? [h[0], h[1]] : [h, ""]))
    : typeof headers === "object" && headers !== null
      ? Object.entries(headers)
      : [];
  for (const [k, v] of pairs) {
    if ((typeof k === "string" && LINE_BREAK.test(k)) || (typeof v === "string" && LINE_BREAK.test(v))) return String(k).slice(0, 64);
  }
  return null;
}

/** A metadata-service header among `headers` (object or pairs), as `Name: value`, or null. */
function metadataHeader(headers: unknown): string | null {
  if (Array.isArray(headers)) {
    for (const h of headers.slice(0, 200)) {
      const hit = Array.isArray(h) && typeof h[0] === "string" ? metadataHeaderOf(h[0], h[1]) : null;
      if (hit) return hit;
    }
  } else if (typeof headers === "object" && headers !== null) {
    for (const [k, v] of Object.entries(headers)) {
      const hit = metadataHeaderOf(k, v);
      if (hit) return hit;
    }
  }
  return null;
}

/** Header `k: v` as `Name: value` when only a metadata service reads it, or null. */
function metadataHeaderOf(k: string, v: unknown): string | null {
  const name = k.toLowerCase();
  if (METADATA_HEADERS.has(name) || (name === "metadata" && typeof v === "string" && v.trim().toLowerCase() === "true"))
    return `${k}: ${String(v).slice(0, 64)}`;
  return null;
}

/** Characters a Host header value cannot hold: it is a host and a port, nothing else. */
const NOT_IN_HOST_HEADER = /[/?#@\\\s]/;

/** The host a `Host` header names, canonical as the URL parser writes it, or null when it does not parse. */
function hostHeaderHost(value: string): string | null {
  const v = value.trim();
  if (v === "" || v.length > 512 || NOT_IN_HOST_HEADER.test(v)) return null;
  try {
    return new URL(`http://${v}/`).hostname.replace(TRAILING_DOT, "");
  } catch {
    return null;
  }
}

/**
 * The local files a request body uploads: the body itself as a file reference,
 * multipart parts with a file name, and file-reference values of form fields
 * (any field of a multipart form; file-like fields of other bodies).
 */
function uploadedFiles(body: unknown, multipart: boolean): string[] {
  const out: string[] = [];
  if (typeof body === "string") {
    const ref = fileReference(body);
    if (ref !== null) out.push(ref);
    else {
      const m = MULTIPART_FILE.exec(body);
      if (m) out.push(m[1] || m[2] || "a file");
    }
    return out;
  }
  let nodes = 0;
  const visit = (v: unknown, key: string, depth: number): void => {
    if (++nodes > MAX_BODY_NODES || depth > MAX_BODY_DEPTH || out.length >= 4) return;
    if (typeof v === "string") {
      const ref = multipart || FILE_FIELDS.has(key.toLowerCase()) ? fileReference(v) : null;
      if (ref !== null) out.push(ref);
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) visit(x, key, depth + 1);
      return;
    }
    if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) visit(x, k, depth + 1);
  };
  if (typeof body === "object" && body !== null) visit(body, "", 0);
  return out;
}

/** Backslashes, whitespace and control characters: WHATWG strips or rewrites them, other parsers do not. */
function hasAmbiguousChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x5c) return true;
  }
  return false;
}

const SCHEME = /^\s*([a-z][a-z0-9+.-]*):/i;
/** The authority of a URL as written, up to the first `/`, `?` or `#`. */
const RAW_AUTHORITY = /^\s*[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i;
const PORT = /:\d*$/;
/** The host of a URL as written, after any user information. */
const WRITTEN_HOST = /^\s*[a-z][a-z0-9+.-]*:\/*(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i;
const QUERY_PARAMETER = /[?&][^=&#]*=/;
const MULTIPART = /^\s*multipart\/form-data/i;

/** Classify an HTTP request. Exported for the CLI and benchmarks. */
export function classifyHttp(methodIn: unknown, urlIn: unknown, ctx: PackContext, headers?: unknown, body?: unknown): Derived {
  const tags = new Set<string>([TAGS.network]);
  const findings: string[] = [];
  const labels: Record<string, string> = {};

  let method = "GET";
  if (typeof methodIn === "string" && METHOD.test(methodIn)) method = methodIn.toUpperCase();
  else if (methodIn !== undefined) {
    tags.add(TAGS.unclassified);
    findings.push("HTTP method is not a method name");
    method = "UNKNOWN";
  }
  // The method the server will act on: an override header wins over the verb on the wire.
  const override = methodOverride(headers, urlIn);
  if (override && override !== method) {
    findings.push(`${method} request carries a method override to ${override}`);
    method = override;
  }
  labels.method = method;
  const capability = `http.${method.toLowerCase()}`;
  if (READ_METHODS.has(method)) tags.add(TAGS.read);
  else tags.add(TAGS.write);
  if (method === "DELETE") {
    tags.add(TAGS.destructive);
    findings.push("DELETE request");
  }

  if (typeof urlIn !== "string" || urlIn.length === 0 || urlIn.length > MAX_URL) {
    tags.add(TAGS.unclassified);
    findings.push(typeof urlIn === "string" && urlIn.length > MAX_URL ? "URL is too long to classify" : "http action without a url");
    return derived(capability, tags, labels, findings);
  }
  const scheme = SCHEME.exec(urlIn)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "http" && scheme !== "https") {
    tags.add(TAGS.ssrf);
    tags.add(TAGS.unclassified);
    findings.push(`${scheme}: URLs reach files or services that are not the web`);
    return derived(capability, tags, labels, findings);
  }
  let url: URL;
  try {
    url = new URL(urlIn);
  } catch {
    tags.add(TAGS.unclassified);
    findings.push("URL does not parse");
    return derived(capability, tags, labels, findings);
  }
  // Clients other than fetch read backslashes, spaces and control characters differently.
  if (hasAmbiguousChars(urlIn.trim())) {
    tags.add(TAGS.unclassified);
    findings.push("URL contains characters that URL parsers read differently");
  }
  // Read the way a parser that does not treat `\` as `/` would (curl, many libraries): the host is
  // after the last `@` of everything up to the first `/`, `?` or `#`. If that reading reaches an
  // internal address, the request is treated as if it did.
  const rawAuthority = RAW_AUTHORITY.exec(urlIn)?.[1] ?? "";
  const altHost = rawAuthority
    .slice(rawAuthority.lastIndexOf("@") + 1)
    .replace(PORT, "")
    .toLowerCase();
  const altRisk = altHost.includes("\\") ? null : hostRisk(altHost);
  if (altRisk && altHost !== url.hostname) {
    tags.add(TAGS.ssrf);
    findings.push(`another URL parser would send this to ${altRisk}`);
  }
  const host = url.hostname.replace(TRAILING_DOT, "");
  labels.host = host;
  // A host still holding a placeholder goes wherever the substitution says: nothing can be judged.
  if (PLACEHOLDER_CHARS.test(host) || PLACEHOLDER_CHARS.test(altHost)) {
    tags.add(TAGS.unclassified);
    findings.push(
      `host ${PLACEHOLDER_CHARS.test(host) ? host : altHost} is a template placeholder, not a host: where the request goes is not known`,
    );
  }
  if (url.password !== "") {
    tags.add(TAGS.secrets);
    findings.push("URL carries a password");
  }
  // Most often the two readings agree: the host is judged once.
  const risk = host === altHost && !altHost.includes("\\") ? altRisk : hostRisk(host);
  if (risk) {
    tags.add(TAGS.ssrf);
    findings.push(`request to ${risk}`);
  }
  // A reverse proxy or virtual-host router forwards by the Host header, not by the address dialled.
  const hostHeader = headerValue(headers, "host");
  const named = hostHeader === null ? null : hostHeaderHost(hostHeader);
  const namedRisk = named !== null && named !== host ? hostRisk(named) : null;
  if (namedRisk) {
    tags.add(TAGS.ssrf);
    findings.push(`the Host header names ${namedRisk}, where a proxy at ${host} would forward the request`);
  } else if (hostHeader !== null && (named === null || PLACEHOLDER_CHARS.test(named))) {
    tags.add(TAGS.unclassified);
    findings.push(named === null ? "the Host header is not a host name" : `the Host header ${named} is a template placeholder, not a host`);
  }
  const split = splitHeader(headers);
  if (split !== null) {
    tags.add(TAGS.unclassified);
    findings.push(`header ${JSON.stringify(split)} holds a line break: the rest could be another header or another request`);
  }
  const metadata = metadataHeader(headers);
  if (metadata) {
    tags.add(TAGS.ssrf);
    findings.push(`carries the cloud metadata header ${metadata}, which only the metadata service reads`);
  }
  // The authority as written: a host the parser had to decode from a number was hidden on purpose.
  const written = WRITTEN_HOST.exec(urlIn)?.[1] ?? "";
  if (parseV4(host) !== null && written.toLowerCase().replace(/\.$/, "") !== host) {
    tags.add(TAGS.obfuscated);
    findings.push(`host written as ${written}, which is ${host}`);
  }
  if (isProduction(host, ctx)) {
    tags.add(TAGS.production);
    findings.push(`host ${host} is in the production environment`);
  }
  const endpoint = endpointRisksOf(url, method);
  for (const t of endpoint.tags) tags.add(t);
  findings.push(...endpoint.findings);
  // Local data sent off the machine; a request to loopback stays on it.
  const loopback = host === "localhost" || host.endsWith(".localhost") || (risk?.startsWith("loopback") ?? false);
  // A body, or data in the query string: what a data-drop service shows to whoever holds the URL.
  const sendsData = (body !== undefined && body !== null && body !== "") || QUERY_PARAMETER.test(url.search);
  const drop = sendsData ? dropSiteOf(host, url.pathname) : null;
  if (drop) {
    tags.add(TAGS.exfiltration);
    findings.push(`sends data to ${host}, ${drop}`);
  }
  if (body !== undefined && body !== null && !loopback) {
    const multipart = MULTIPART.test(headerValue(headers, "content-type") ?? "");
    const files = uploadedFiles(body, multipart);
    if (files.length > 0) {
      tags.add(TAGS.exfiltration);
      findings.push(
        `uploads ${files.map((f) => (f === "standard input" || f === "a file" ? f : `the local file ${f}`)).join(", ")} to ${host}`,
      );
      for (const f of files) {
        const secret = f === "standard input" || f === "a file" ? null : credentialOf(f);
        if (secret) {
          tags.add(TAGS.secrets);
          findings.push(`the uploaded file ${f} is ${secret}`);
        }
      }
    }
  }
  // Text sent for another model to read: chat-template tokens, "ignore previous instructions".
  const injected = injectionFindings(body, "body");
  for (const t of injected.tags) tags.add(t);
  findings.push(...injected.findings);
  return derived(capability, tags, labels, findings);
}

/** Classifies HTTP requests: read or write by method, the host, SSRF targets, endpoints that return credentials or run code, uploads of local files, production hosts. */
export const httpPack: Pack = {
  name: "http",
  summary:
    "HTTP requests: read/write by method, host, SSRF (cloud metadata, loopback, private ranges, encoded IPs), credential-returning endpoints, file uploads, production hosts",
  classify(action: Record<string, unknown>, ctx: PackContext): Derived | null {
    if (action.kind !== "http") return null;
    return classifyHttp(action.method, action.url, ctx, action.headers, action.body);
  },
  overlay: `rules:
  - id: http-ssrf
    match:
      risk_tags: [ssrf]
    decision: DENY
    reason: Requests to cloud metadata, loopback, private or non-HTTP addresses are blocked
  - id: http-destructive-production
    match:
      capability: ["http.*"]
      risk_tags: [destructive, production]
    decision: DENY
    reason: DELETE requests against production hosts are blocked
`,
};
