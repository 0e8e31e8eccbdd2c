// The CLI's reader of a file's bytes: synchronous reads of a regular file, in ranges, that still
// give the event loop its turns; anything else streamed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileChunks } from "../../src/cli/fileChunks";
import { fileReadBytes } from "../../src/core/jsonl/lineReader";
import { scratchDir } from "./scratchDir";

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; count: number }> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return { bytes: Buffer.concat(parts), count: parts.length };
}

/** Bytes that differ from chunk to chunk, so that a chunk read twice or skipped shows. */
function numbered(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + (i >>> 16)) & 0xff;
  return bytes;
}

describe("fileChunks", () => {
  const dir = scratchDir("file-chunks-");

  it("reads a regular file whole or a range of it, in chunks of fileReadBytes, each chunk its own buffer", async () => {
    const data = numbered(3 * fileReadBytes + 123);
    const file = join(dir, "data.bin");
    writeFileSync(file, data);
    const whole = await bytesOf(fileChunks(file));
    assert.deepEqual(whole.bytes, data);
    assert.equal(whole.count, 4);
    for (const [start, end] of [
      [0, 1],
      [5, fileReadBytes + 9],
      [fileReadBytes, 2 * fileReadBytes],
      [data.length - 10, data.length],
      [100, data.length + 50],
      [7, 7],
    ]) {
      assert.deepEqual((await bytesOf(fileChunks(file, start, end))).bytes, data.subarray(start, end), `${start}..${end}`);
    }
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of fileChunks(file)) buffers.add(chunk.buffer);
    assert.equal(buffers.size, 4);
    const empty = join(dir, "empty.bin");
    writeFileSync(empty, "");
    assert.equal((await bytesOf(fileChunks(empty))).count, 0);
  });

  it("lets the event loop turn after each chunk, though each read is synchronous", async () => {
    const file = join(dir, "large.bin");
    writeFileSync(file, numbered(200 * fileReadBytes));
    let chunks = 0;
    let turnAt = -1;
    setImmediate(() => (turnAt = chunks));
    for await (const _ of fileChunks(file)) chunks++;
    assert.equal(chunks, 200);
    assert.ok(turnAt >= 1 && turnAt <= 2, `the event loop turned after chunk ${turnAt} of 200`);
  });

  it("streams what is not a regular file, and fails as opening it fails", async () => {
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const data = numbered(2 * fileReadBytes + 5);
    const writer = import("node:fs/promises").then((fs) => fs.writeFile(fifo, data));
    const read = await bytesOf(fileChunks(fifo));
    await writer;
    assert.deepEqual(read.bytes, data);
    await assert.rejects(bytesOf(fileChunks(join(dir, "missing.jsonl"))), { code: "ENOENT" });
    await assert.rejects(bytesOf(fileChunks(dir)), { code: "EISDIR" });
  });
});
