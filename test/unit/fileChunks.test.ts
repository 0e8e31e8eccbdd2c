import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileChunks } from "../../src/cli/fileChunks";
import { fileReadBytes } from "../../src/core/jsonl/lineReader";
import { scratchDir } from "./scratchDir";

const dir = scratchDir("instruct-studio-chunks-");
after(() => rmSync(dir, { recursive: true, force: true }));

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; sizes: number[] }> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return { bytes: Buffer.concat(parts), sizes: parts.map((p) => p.length) };
}

describe("fileChunks", () => {
  const file = join(dir, "data.jsonl");
  const content = Buffer.from(Array.from({ length: 3 * fileReadBytes + 123 }, (_, i) => 97 + (i % 26)));
  writeFileSync(file, content);

  it("reads a regular file whole, in chunks of the stream's size, and a range of it", async () => {
    const whole = await collect(fileChunks(file));
    assert.ok(whole.bytes.equals(content));
    assert.deepEqual(whole.sizes, [fileReadBytes, fileReadBytes, fileReadBytes, 123]);
    for (const [start, end] of [
      [0, 10],
      [5, fileReadBytes + 7],
      [fileReadBytes, 2 * fileReadBytes],
      [content.length - 3, content.length],
      [content.length - 3, content.length + 100],
      [7, 7],
    ]) {
      const range = await collect(fileChunks(file, start, end));
      assert.ok(range.bytes.equals(content.subarray(start, end)), `${start}..${end}`);
    }
  });

  it("keeps each chunk it gave: the next read does not write over it", async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of fileChunks(file)) chunks.push(chunk);
    assert.ok(Buffer.concat(chunks).equals(content));
  });

  it("fails on a file that is missing, as a stream does", async () => {
    await assert.rejects(collect(fileChunks(join(dir, "missing.jsonl"))), /ENOENT/);
  });
});
