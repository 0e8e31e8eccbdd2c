import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inside, restrictToTrusted } from "../../src/preview/restrictedMode";

describe("Restricted Mode: no template or model file from an untrusted workspace runs", () => {
  const workspace = ["/home/u/dataset"];

  it("drops a tokenizer, template file and training config inside the workspace, and says so", () => {
    const { files, restricted } = restrictToTrusted(
      { tokenizerPath: "/home/u/dataset/models/qwen3", template: "/home/u/dataset/evil.jinja", configPath: "/home/u/dataset/axolotl.yml" },
      workspace,
    );
    assert.deepEqual(files, { tokenizerPath: undefined, template: undefined, configPath: undefined });
    assert.match(restricted ?? "", /the workspace's tokenizer, template file, training config is not run until you trust this folder/);
  });

  it("keeps built-in template names and the user's own files outside the workspace", () => {
    const { files, restricted } = restrictToTrusted(
      { tokenizerPath: "/home/u/models/llama.gguf", template: "llama3", configPath: "/home/u/dataset-other/a.yml" },
      workspace,
    );
    assert.deepEqual(files, { tokenizerPath: "/home/u/models/llama.gguf", template: "llama3", configPath: "/home/u/dataset-other/a.yml" });
    assert.equal(restricted, undefined);
  });

  it("a folder whose name starts with two dots is inside the workspace; the parent is not", () => {
    const { files } = restrictToTrusted({ tokenizerPath: "/home/u/dataset/..models/qwen3", configPath: "/home/u/dataset/..x/axolotl.yml" }, workspace);
    assert.deepEqual(files, { tokenizerPath: undefined, configPath: undefined });
    assert.equal(inside("/home/u/dataset", "/home/u/dataset/..x/a.gguf"), true);
    assert.equal(inside("/home/u/dataset", "/home/u/dataset/..."), true);
    assert.equal(inside("/home/u/dataset", "/home/u/a.gguf"), false);
    assert.equal(inside("/home/u/dataset", "/home/u/dataset/../a.gguf"), false);
    assert.equal(inside("/home/u/dataset", "/home/u/dataset"), true);
  });
});
