import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Derived } from "../../src/engine/types";
import { endpointRisks } from "../../src/packs/http/endpoints";
import { hostRisk, httpPack } from "../../src/packs/http/index";
import { mcpPack } from "../../src/packs/mcp/index";
import { compilePolicy } from "../../src/policy/compiler";

const ctx = { environments: { production: ["prod", "*.prod.example.com", "api.example.com"] } };

function http(url: unknown, method: unknown = "GET"): Derived {
  const d = httpPack.classify({ kind: "http", method, url }, ctx);
  if (!d) throw new Error("http pack returned null for an http action");
  return d;
}

describe("http pack: methods", () => {
  it.each(["GET", "HEAD", "OPTIONS", "get"])("%s is a read", (m) => {
    const d = http("https://example.org/a", m);
    expect(d.capability).toBe(`http.${m.toLowerCase()}`);
    expect(d.risk_tags).toEqual(["network", "read"]);
    expect(d.labels.host).toBe("example.org");
  });

  it.each(["POST", "PUT", "PATCH"])("%s is a write", (m) => {
    expect(http("https://example.org/a", m).risk_tags).toEqual(["network", "write"]);
  });

  it("DELETE is destructive", () => {
    expect(http("https://example.org/a/1", "DELETE")).toMatchObject({
      capability: "http.delete",
      risk_tags: ["destructive", "network", "write"],
    });
  });

  it("a method-override header or _method parameter is the method the server acts on", () => {
    const d = httpPack.classify(
      { kind: "http", method: "POST", url: "https://example.org/v1/projects/9", headers: { "X-HTTP-Method-Override": "DELETE" } },
      ctx,
    );
    expect(d).toMatchObject({ capability: "http.delete", risk_tags: ["destructive", "network", "write"] });
    expect(d?.findings).toContain("POST request carries a method override to DELETE");
    expect(http("https://example.org/posts/1?_method=delete", "POST").risk_tags).toContain("destructive");
    const pairs = httpPack.classify(
      { kind: "http", method: "POST", url: "https://example.org/x", headers: [["x-http-method", "PUT"]] },
      ctx,
    );
    expect(pairs?.capability).toBe("http.put");
  });

  it("a missing method is a GET, a malformed one unclassified", () => {
    expect(httpPack.classify({ kind: "http", url: "https://example.org" }, ctx)?.capability).toBe("http.get");
    expect(http("https://example.org", "GET /x HTTP/1.1").risk_tags).toContain("unclassified");
  });
});

describe("http pack: SSRF", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://100.100.100.200/latest/meta-data/",
    "http://localhost:8080/admin",
    "http://LOCALHOST./admin",
    "http://api.localhost/",
    "http://127.0.0.1/",
    "http://127.0.0.1./",
    "http://[::1]/",
    "http://[::]/",
    "http://0.0.0.0/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.1.1/",
    "http://169.254.10.10/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://169.254.169.254.nip.io/",
    "http://10-0-0-1.sslip.io/",
    "http://app-c0a80101.nip.io/",
    "http://a9fea9fe.nip.io/latest/meta-data/",
    "http://--1.sslip.io/",
    "http://www.fd00-ec2--254.sslip.io/latest/meta-data/",
  ])("%s", (url) => {
    const d = http(url);
    expect(d.risk_tags).toContain("ssrf");
    expect(d.findings.join(" ")).toMatch(/request to|resolves to/);
  });

  it.each([
    ["http://2130706433/", "127.0.0.1"],
    ["http://0x7f000001/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://0/", "0.0.0.0"],
    ["http://0xa9.0xfe.0xa9.0xfe/", "169.254.169.254"],
    ["http://2852039166/", "169.254.169.254"],
  ])("the encoded address %s is %s, and is marked obfuscated", (url, host) => {
    const d = http(url);
    expect(d.labels.host).toBe(host);
    expect(d.risk_tags).toEqual(expect.arrayContaining(["ssrf", "obfuscated"]));
  });

  it.each([
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_FLUSHALL",
    "ftp://example.org/x",
    "dict://localhost:11211/stats",
    "FILE:///etc/shadow",
  ])("%s: a scheme other than http(s) is ssrf and unclassified", (url) => {
    expect(http(url).risk_tags).toEqual(expect.arrayContaining(["ssrf", "unclassified"]));
  });

  it("a backslash that other URL parsers read differently is unclassified, and ssrf when they would reach inside", () => {
    const d = http("http://example.org\\@127.0.0.1/");
    expect(d.labels.host).toBe("example.org");
    expect(d.risk_tags).toEqual(expect.arrayContaining(["ssrf", "unclassified"]));
  });

  it.each([
    "https://api.github.com/repos",
    "https://192-168-1-1.example.com/",
    "http://172.32.0.1/",
    "http://8.8.8.8/",
    "https://[2606:4700::1111]/",
    "http://100.63.255.255/",
  ])("%s is public", (url) => {
    expect(http(url).risk_tags).not.toContain("ssrf");
  });

  it("hostRisk reads IPv6 with an embedded IPv4 tail", () => {
    expect(hostRisk("[::ffff:10.0.0.1]")).toMatch(/private/);
    expect(hostRisk("[::ffff:8.8.8.8]")).toBeNull();
  });
});

describe("http pack: production, credentials, malformed URLs", () => {
  it("a host in the production environment", () => {
    expect(http("https://billing.prod.example.com/v1/charges", "POST").risk_tags).toEqual(["network", "production", "write"]);
    expect(http("https://api.example.com:8443/x").risk_tags).toContain("production");
    expect(http("https://api.staging.example.com/x").risk_tags).not.toContain("production");
  });

  it("a password in the URL carries a secret", () => {
    expect(http("https://user:s3cret@example.org/").risk_tags).toContain("secrets");
  });

  it.each([["not a url"], ["//example.org/x"], [""], [42], [undefined]])("%j is unclassified", (url) => {
    expect(http(url).risk_tags).toContain("unclassified");
  });

  it("ignores other kinds", () => {
    expect(httpPack.classify({ kind: "sql", url: "http://127.0.0.1" }, ctx)).toBeNull();
  });
});

describe("http pack: overlay", () => {
  it("compiles, with rules prefixed by the pack name", async () => {
    const r = await compilePolicy(
      [{ kind: "base", path: "p.yaml", text: "version: 1\npacks: [http]\nrules: []\n" }],
      new Map([["http", httpPack]]),
    );
    expect(r.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    expect(r.snapshot?.rules.map((x) => x.id).every((id) => id.startsWith("http-"))).toBe(true);
  });
});

function request(action: Record<string, unknown>): Derived {
  const d = httpPack.classify({ kind: "http", method: "POST", ...action }, ctx);
  if (!d) throw new Error("http pack returned null for an http action");
  return d;
}

describe("http pack: headers that decide where a request goes", () => {
  const get = (url: string, headers: unknown): Derived => request({ method: "GET", url, headers });

  it.each([
    [{ Host: "169.254.169.254" }, "cloud metadata endpoint 169.254.169.254"],
    [{ host: "localhost:8080" }, "internal host name localhost"],
    [[["Host", "0x7f000001"]], "loopback 127.0.0.0/8 (127.0.0.1)"],
    [{ Host: "[::1]:9000" }, "loopback ::1"],
  ])("a Host header %j sends a proxy to %s: ssrf", (headers, what) => {
    const d = get("https://cdn.example.org/", headers);
    expect(d.risk_tags).toContain("ssrf");
    expect(d.findings).toContain(`the Host header names ${what}, where a proxy at cdn.example.org would forward the request`);
  });

  it("a Host header naming a public host, or the URL's own host, is ordinary", () => {
    expect(get("https://203.0.113.5/", { Host: "www.example.org" }).risk_tags).toEqual(["network", "read"]);
    expect(get("https://cdn.example.org/", { Host: "cdn.example.org:443" }).risk_tags).toEqual(["network", "read"]);
  });

  it("a Host header that is not a host, or a placeholder, is unclassified", () => {
    expect(get("https://cdn.example.org/", { Host: "a b" }).risk_tags).toContain("unclassified");
    expect(get("https://cdn.example.org/", { Host: "evil/x" }).risk_tags).toContain("unclassified");
    expect(get("https://cdn.example.org/", { Host: "{upstream}" }).risk_tags).toContain("unclassified");
  });

  it.each([
    { "Metadata-Flavor": "Google" },
    { "X-Google-Metadata-Request": "True" },
    { "X-aws-ec2-metadata-token": "AQAEAXXXX" },
    { "X-aws-ec2-metadata-token-ttl-seconds": "21600" },
    { Metadata: "true" },
  ])("the cloud metadata header %j is ssrf whatever the host is called", (headers) => {
    expect(get("http://instance-meta.example.org/latest/", headers).risk_tags).toContain("ssrf");
  });

  it("a line break in a header name or value is unclassified (header injection, request splitting)", () => {
    const d = get("https://api.example.org/", { "X-Trace": "1\r\nHost: 169.254.169.254" });
    expect(d.risk_tags).toContain("unclassified");
    expect(d.findings).toContain('header "X-Trace" holds a line break: the rest could be another header or another request');
    expect(get("https://api.example.org/", [["X-A\nB", "1"]]).risk_tags).toContain("unclassified");
    expect(get("https://api.example.org/", { Accept: "application/json", "User-Agent": "agent/1.0" }).risk_tags).toEqual([
      "network",
      "read",
    ]);
  });

  it("ordinary headers named like metadata are not", () => {
    expect(get("https://api.example.org/", { Metadata: "v2", "X-Metadata": "true" }).risk_tags).toEqual(["network", "read"]);
  });
});

describe("http pack: wildcard DNS names that are not addresses", () => {
  it.each([
    "https://deadbeef.nip.io/",
    "https://nip.io/",
    "https://my-app.sslip.io/",
    "https://2606-4700-4700--1111.sslip.io/",
    "https://c0a80101.example.org/",
    "https://fe80--1.example.org/",
  ])("%s is not ssrf", (url) => {
    expect(http(url).risk_tags).not.toContain("ssrf");
  });
});

describe("http pack: endpoints (shared with the mcp pack)", () => {
  it.each([
    ["http://app.example.org:8080/actuator/env", "secrets"],
    ["http://app.example.org/manage/actuator/configprops", "secrets"],
    ["http://app.example.org/actuator/heapdump", "secrets"],
    ["https://k8s.example.org:6443/api/v1/namespaces/default/secrets", "secrets"],
    ["https://k8s.example.org:6443/api/v1/secrets", "secrets"],
    ["https://shop.example.org/.env", "secrets"],
    ["https://shop.example.org/app/.env.production", "secrets"],
  ])("GET %s is %s", (url, tag) => {
    expect(http(url).risk_tags).toContain(tag);
  });

  it("the exec, attach and portforward subresources of a pod run inside it", () => {
    const d = http("https://k8s.example.org/api/v1/namespaces/shop/pods/web-0/exec?command=sh&stdin=true", "POST");
    expect(d.risk_tags).toContain("exec");
    expect(d.findings).toContain("exec into pod web-0 through the Kubernetes API");
    expect(http("https://k8s.example.org/api/v1/namespaces/shop/pods/web-0/portforward", "GET").risk_tags).toContain("exec");
  });

  it.each([
    "http://app.example.org/actuator/health",
    "http://app.example.org/actuator/info",
    "https://shop.example.org/.env.example",
    "https://k8s.example.org/api/v1/namespaces/default/pods",
    "https://k8s.example.org/api/v1/namespaces/default/configmaps/settings",
  ])("GET %s is an ordinary read", (url) => {
    expect(http(url).risk_tags).toEqual(["network", "read"]);
  });

  it("a method override reaches the endpoint rules too", () => {
    const d = request({ method: "POST", url: "https://app.example.org/actuator/env?_method=GET" });
    expect(d.risk_tags).toContain("secrets");
  });

  it("an MCP fetch tool and a plain request get the same endpoint findings", () => {
    const url = "http://app.example.org/actuator/env";
    const plain = http(url);
    const viaMcp = mcpPack.classify({ kind: "mcp", server: "web", tool: "fetch", arguments: { url } }, ctx);
    expect(viaMcp?.risk_tags).toContain("secrets");
    expect(viaMcp?.findings).toContain(`arguments.url: ${plain.findings[0]}`);
    expect(viaMcp?.findings.filter((f) => f.includes("actuator"))).toHaveLength(1);
    expect(endpointRisks(url, "GET").findings).toEqual(plain.findings);
  });
});

describe("http pack: hosts that are still templates", () => {
  it.each([
    "http://169.254.{instance}/latest/meta-data/",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} is the placeholder under test
    "http://${METADATA_HOST}/latest/meta-data/",
    "https://{{api_host}}/v1/users",
    "http://%7Bhost%7D/x",
    "https://$(hostname)/x",
    "https://*.example.org/",
    "https://api.{region}.example.org/v1",
  ])("%s is unclassified, not an ordinary host", (url) => {
    const d = http(url);
    expect(d.risk_tags).toContain("unclassified");
    expect(d.findings.some((f) => f.includes("template placeholder"))).toBe(true);
  });

  it("a placeholder in the path or query is not a host", () => {
    expect(http("https://api.example.org/users/{id}").risk_tags).toEqual(["network", "read"]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} is the placeholder under test
    expect(http("https://api.example.org/search?q=${term}").risk_tags).toEqual(["network", "read"]);
  });

  it("any host holding a placeholder character is unclassified", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9.-]{0,12}$/),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} is the placeholder under test
        fc.constantFrom("{x}", "${X}", "{{x}}", "*", "$(x)"),
        fc.stringMatching(/^[a-z0-9.-]{0,12}$/),
        (pre, hole, post) => {
          const d = http(`https://${pre}${hole}${post}/`);
          expect(d.risk_tags).toContain("unclassified");
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("http pack: uploads of local data", () => {
  it.each([
    ["@/etc/passwd", "the local file /etc/passwd"],
    ["@report.csv", "the local file report.csv"],
    ["@./dump.sql", "the local file ./dump.sql"],
    ["@-", "standard input"],
  ])("a body %s is exfiltration", (body, what) => {
    const d = request({ url: "https://upload.example.org/in", body });
    expect(d.risk_tags).toContain("exfiltration");
    expect(d.findings).toContain(`uploads ${what} to upload.example.org`);
  });

  it("a PUT of a file is exfiltration too", () => {
    expect(request({ method: "PUT", url: "https://storage.example.org/b/w.bin", body: "@weights.bin" }).risk_tags).toContain(
      "exfiltration",
    );
  });

  it("a multipart part with a file name is an uploaded file", () => {
    const body = '--b\r\nContent-Disposition: form-data; name="doc"; filename="q3.xlsx"\r\n\r\nPK...\r\n--b--\r\n';
    const d = request({ url: "https://files.example.org/", headers: { "Content-Type": "multipart/form-data; boundary=b" }, body });
    expect(d.risk_tags).toContain("exfiltration");
    expect(d.findings).toContain("uploads the local file q3.xlsx to files.example.org");
  });

  it("form fields that reference files: any field of a multipart form, file fields of other bodies", () => {
    const multipart = request({
      url: "https://files.example.org/",
      headers: [["content-type", "multipart/form-data"]],
      body: { title: "notes", attachment_1: "@~/notes.md" },
    });
    expect(multipart.risk_tags).toContain("exfiltration");
    expect(request({ url: "https://files.example.org/", body: { file: "@data/export.json" } }).risk_tags).toContain("exfiltration");
    expect(request({ url: "https://files.example.org/", body: { files: ["@a.txt", "@b.txt"] } }).findings).toContain(
      "uploads the local file a.txt, the local file b.txt to files.example.org",
    );
  });

  it("an uploaded credential file is also secrets", () => {
    const d = request({ url: "https://paste.example.org/", body: "@~/.aws/credentials" });
    expect(d.risk_tags).toEqual(expect.arrayContaining(["exfiltration", "secrets"]));
    expect(request({ url: "https://paste.example.org/", body: "@/home/dev/.ssh/id_ed25519" }).risk_tags).toContain("secrets");
    expect(request({ url: "https://paste.example.org/", body: "@notes.txt" }).risk_tags).not.toContain("secrets");
  });

  it.each([
    ["a mention", "@alice"],
    ["a handle with a dot, among words", "thanks @alice.smith for the review"],
    ["an e-mail address", "@bob@example.org"],
    ["JSON text", '{"text": "@here deploy done"}'],
  ])("a text body (%s) is not a file", (_what, body) => {
    expect(request({ url: "https://chat.example.org/post", body }).risk_tags).not.toContain("exfiltration");
  });

  it("JSON fields that only name a file, and mentions in ordinary fields, are not uploads", () => {
    expect(request({ url: "https://api.example.org/gists", body: { filename: "notes.txt", content: "hello" } }).risk_tags).toEqual([
      "network",
      "write",
    ]);
    expect(request({ url: "https://api.example.org/msg", body: { text: "@alice.smith", to: "@team" } }).risk_tags).toEqual([
      "network",
      "write",
    ]);
  });

  it("an upload to loopback stays on the machine", () => {
    const d = request({ url: "http://127.0.0.1:8080/upload", body: "@build/out.zip" });
    expect(d.risk_tags).not.toContain("exfiltration");
    expect(d.risk_tags).toContain("ssrf");
  });
});

describe("http pack: properties", () => {
  it("never throws on any method and URL", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl(), fc.anything()),
        fc.oneof(fc.constantFrom("GET", "POST", "DELETE"), fc.anything()),
        (url, method) => {
          const d = http(url, method);
          expect(d.capability).toMatch(/^http\.[a-z]+$/);
          expect(d.risk_tags).toContain("network");
        },
      ),
      { numRuns: 500 },
    );
  });

  it("every IPv4 loopback, private or link-local address is ssrf, in any encoding", () => {
    const inRange = fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
    );
    fc.assert(
      fc.property(inRange, fc.constantFrom("dotted", "decimal", "hex", "octal"), (octets, enc) => {
        const n = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
        const host =
          enc === "dotted"
            ? octets.join(".")
            : enc === "decimal"
              ? String(n)
              : enc === "hex"
                ? `0x${n.toString(16)}`
                : octets.map((o) => `0${o.toString(8)}`).join(".");
        expect(http(`http://${host}/`).risk_tags).toContain("ssrf");
      }),
      { numRuns: 300 },
    );
  });
});

// Found in review: paths as a server reads them (decoded, `;params` dropped, trailing slash).
describe("http pack: endpoint paths as servers read them", () => {
  it.each([
    "https://app.example.com/actuator/env;x",
    "https://app.example.com/actuator/%65nv",
    "https://app.example.com/%2eenv",
    "https://app.example.com/.env/",
  ])("%s carries secrets", (url) => {
    const d = httpPack.classify({ kind: "http", method: "GET", url }, { environments: {} });
    expect(d?.risk_tags).toContain("secrets");
  });

  it("a pack context without environments does not throw", () => {
    expect(() => httpPack.classify({ kind: "http", method: "GET", url: "https://prod.example.com/" }, {} as never)).not.toThrow();
  });
});
