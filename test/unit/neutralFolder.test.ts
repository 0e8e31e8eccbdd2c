import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { neutralFolder } from "../../src/core/templates/axolotl/findAxolotl";

// Run again as a child, this file makes the folder, says where, and exits.
if (process.env.NEUTRAL_FOLDER_CHILD) {
  process.stdout.write(neutralFolder());
  process.exit(0);
}

describe("the folder interpreters start in", () => {
  it("is empty, made once a process, and removed when the process exits", () => {
    const child = spawnSync(process.execPath, [__filename], { encoding: "utf8", env: { ...process.env, NEUTRAL_FOLDER_CHILD: "1" }, timeout: 30_000 });
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /instruct-studio-python-/);
    assert.equal(existsSync(child.stdout), false, `${child.stdout} is left behind`);
    const here = neutralFolder();
    assert.equal(neutralFolder(), here);
    assert.deepEqual(readdirSync(here), []);
  });
});
