import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readBatchOutputLine } from "../../src/core/batch/openaiBatch";
import { ModelError } from "../../src/core/model/backend";
import { defaultRetryPolicy, isRetryable, parseRetryAfter, retryDelayMs, withRetries } from "../../src/core/model/retryPolicy";
import { parseLineRange } from "../../src/cli/critiqueTargets";

describe("retries of model requests", () => {
  it("reads Retry-After as seconds or as an HTTP date", () => {
    assert.equal(parseRetryAfter("3"), 3000);
    assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:05 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")), 5000);
    assert.equal(parseRetryAfter("soon"), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });

  it("retries a busy or failing server, a hung stream and a crashed worker; never a bad request, a context overflow or a cancel", () => {
    for (const status of [429, 500, 502, 503, 408]) assert.ok(isRetryable(new ModelError("x", "server", status)), String(status));
    assert.ok(isRetryable(new ModelError("unreachable", "server")));
    assert.ok(isRetryable(new ModelError("x", "hung")));
    assert.ok(isRetryable(new ModelError("x", "crashed")));
    for (const status of [400, 401, 404, 422]) assert.ok(!isRetryable(new ModelError("x", "server", status)), String(status));
    for (const kind of ["context", "cancelled", "output", "file", "memory"] as const) assert.ok(!isRetryable(new ModelError("x", kind)));
    assert.ok(!isRetryable(new TypeError("a bug")));
  });

  it("waits what the server asked, else backs off exponentially with jitter up to the ceiling", () => {
    assert.equal(retryDelayMs(new ModelError("x", "server", 429, 7000), 1, defaultRetryPolicy), 7000);
    assert.equal(retryDelayMs(new ModelError("x", "server", 429, 3_600_000), 1, defaultRetryPolicy), 600_000);
    assert.equal(
      retryDelayMs(new ModelError("x", "server", 503), 1, defaultRetryPolicy, () => 1),
      500,
    );
    assert.equal(
      retryDelayMs(new ModelError("x", "server", 503), 3, defaultRetryPolicy, () => 1),
      2000,
    );
    assert.equal(
      retryDelayMs(new ModelError("x", "server", 503), 3, defaultRetryPolicy, () => 0),
      1000,
    );
    assert.equal(
      retryDelayMs(new ModelError("x", "server", 503), 20, defaultRetryPolicy, () => 1),
      30_000,
    );
  });

  it("gives up after the policy's tries, and at once on an error that would repeat", async () => {
    let calls = 0;
    const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
    await assert.rejects(
      withRetries(async () => {
        calls++;
        throw new ModelError("busy", "server", 503);
      }, policy),
      /busy/,
    );
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(
      withRetries(async () => {
        calls++;
        throw new ModelError("bad", "server", 400);
      }, policy),
    );
    assert.equal(calls, 1);
    calls = 0;
    assert.equal(await withRetries(async () => (++calls < 2 ? Promise.reject(new ModelError("x", "hung")) : "ok"), policy), "ok");
  });
});

describe("batch output lines and line ranges", () => {
  it("reads an error line, a non-200 status, a missing content, and refuses what is not an output line", () => {
    assert.deepEqual(readBatchOutputLine('{"custom_id":"a","response":null,"error":{"code":"x","message":"expired"}}'), { customId: "a", error: "expired" });
    assert.deepEqual(readBatchOutputLine('{"custom_id":"a","response":{"status_code":429,"body":{"error":{"message":"rate"}}},"error":null}'), {
      customId: "a",
      error: "status 429: rate",
    });
    assert.deepEqual(readBatchOutputLine('{"custom_id":"a","response":{"choices":[{"message":{"content":null}}]}}'), {
      customId: "a",
      error: "the response has no message content",
    });
    assert.deepEqual(readBatchOutputLine("[1]"), { invalid: "no custom_id" });
    assert.deepEqual(readBatchOutputLine("{"), { invalid: "not JSON" });
  });

  it("--lines takes A-B, A-, -B and N", () => {
    assert.deepEqual(parseLineRange("3-7"), { first: 3, last: 7 });
    assert.deepEqual(parseLineRange("3-"), { first: 3, last: Infinity });
    assert.deepEqual(parseLineRange("-7"), { first: 1, last: 7 });
    assert.deepEqual(parseLineRange("5"), { first: 5, last: 5 });
    for (const bad of ["7-3", "0-2", "a-b", "", "-"]) assert.throws(() => parseLineRange(bad), /--lines wants/, bad);
  });
});
