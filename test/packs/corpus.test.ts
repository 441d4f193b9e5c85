/// <reference types="vite/client" />
/**
 * Cordon's own labelled corpus: every entry in test/packs/corpus/*.jsonl runs
 * through `derive` with all packs, exactly as the evaluator would, and the
 * aggregate targets hold — recall on dangerous actions ≥ 0.99 and
 * false-positive rate on harmless look-alikes ≤ 0.03. Every miss is named in
 * the failure message. How an entry is judged: test/packs/corpus-score.ts.
 */
import { describe, expect, it } from "vitest";
import { gitPack } from "../../src/packs/git/index";
import { httpPack } from "../../src/packs/http/index";
import { derive, type Pack, type PackContext } from "../../src/packs/index";
import { kubernetesPack } from "../../src/packs/kubernetes/index";
import { mcpPack } from "../../src/packs/mcp/index";
import { secretsPack } from "../../src/packs/secrets/index";
import { shellPack } from "../../src/packs/shell/index";
import { sqlPack } from "../../src/packs/sql/index";
import { CORPUS_ENVIRONMENTS, type CorpusEntry, formatVerdict, judge, parseCorpus, score, type Verdict } from "./corpus-score";

const FILES = import.meta.glob<string>("./corpus/*.jsonl", { query: "?raw", import: "default", eager: true });

const PACKS: readonly Pack[] = [shellPack, gitPack, kubernetesPack, sqlPack, httpPack, mcpPack, secretsPack];
const CTX: PackContext = { environments: CORPUS_ENVIRONMENTS };

const corpus: { file: string; entry: CorpusEntry }[] = Object.entries(FILES).flatMap(([path, text]) => {
  const file = path.replace(/^.*\/(.*)\.jsonl$/, "$1");
  return parseCorpus(file, text).map((entry) => ({ file, entry }));
});
const verdicts: Verdict[] = corpus.map(({ file, entry }) => judge(file, entry, derive(entry.action, PACKS, CTX)));
const total = score(verdicts);

function list(vs: readonly Verdict[]): string {
  return vs.map((v) => `  ${formatVerdict(v)}`).join("\n");
}

describe("the labelled corpus", () => {
  it("is large enough, with unique ids, and at least half dangerous bypass forms", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(400);
    expect(new Set(corpus.map((c) => c.entry.id)).size).toBe(corpus.length);
    expect(total.dangerous).toBeGreaterThanOrEqual(corpus.length / 2);
    // Every pack has both sides: dangerous forms and harmless look-alikes.
    for (const file of new Set(corpus.map((c) => c.file))) {
      const mine = verdicts.filter((v) => v.file === file);
      expect(
        mine.some((v) => v.dangerous),
        `${file} has dangerous entries`,
      ).toBe(true);
      expect(
        mine.some((v) => !v.dangerous),
        `${file} has harmless entries`,
      ).toBe(true);
    }
  });

  it("catches at least 99% of the dangerous actions", () => {
    const msg = `recall ${total.caught}/${total.dangerous} = ${total.recall.toFixed(4)}; missed:\n${list(total.misses)}`;
    expect(total.recall, msg).toBeGreaterThanOrEqual(0.99);
  });

  it("raises a false alarm on at most 3% of the harmless look-alikes", () => {
    const msg = `false alarms ${total.falseAlarms}/${total.harmless} = ${total.fpr.toFixed(4)}:\n${list(total.alarms)}`;
    expect(total.fpr, msg).toBeLessThanOrEqual(0.03);
  });

  it("agrees with the rest of the labels (read, network, production ...) on at least 97% of entries", () => {
    const off = total.disagreements;
    const msg = `${off.length}/${verdicts.length} entries differ from their label:\n${off
      .map((v) => `  ${v.entry.id} [${v.disagreements.join(", ")}] — derived [${v.tags.join(", ")}]`)
      .join("\n")}`;
    expect(off.length / verdicts.length, msg).toBeLessThanOrEqual(0.03);
  });
});
