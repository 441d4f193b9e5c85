import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Tagged } from "../../src/engine/canonical";
import { sha256Hex } from "../../src/engine/sha256";

describe("synchronous SHA-256", () => {
  it("matches the FIPS 180-4 test vectors", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("agrees with Web Crypto on any text, across block boundaries and non-ASCII", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: "grapheme", maxLength: 80 }),
          fc.integer({ min: 50, max: 140 }).map((n) => "x".repeat(n)),
        ),
        async (s) => {
          expect(`sha256:${sha256Hex(s)}`).toBe(await sha256Tagged(s));
        },
      ),
      { numRuns: 500 },
    );
  });
});
