const [url, key] = process.argv.slice(2);
const bodies = new Map();
const end = Date.now() + 3000;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (Date.now() < end) {
      const r = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ job: { capability: "k8s.pod.list", risk_tags: ["read"], actor: { id: "bench-bot" } } }),
      });
      const t = await r.text();
      if (r.status !== 200) bodies.set(`${r.status} ${t.slice(0, 3000)}`, (bodies.get(`${r.status} ${t.slice(0, 3000)}`) ?? 0) + 1);
    }
  }),
);
console.log(JSON.stringify([...bodies.entries()]));
