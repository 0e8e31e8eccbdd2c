import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toolFormat } from "../../src/core/trainers/llamaFactory/toolFormats";
import { TrainerRefusedError } from "../../src/core/trainers/trainerRefused";
import { readFixture } from "./trlReferenceCases";

interface Cases {
  tools: Record<string, Array<Record<string, unknown>>>;
  calls: Record<string, Array<{ name: string; arguments: string }>>;
  formats: string[];
}
const cases = readFixture<Cases>("llama-factory-tool-cases.json");
const references = readFixture<{ source: string; results: Record<string, string | { raised: string }> }>("llama-factory-tool-references.json");

/** The text, or that LLaMA-Factory raises there and the view refuses the row. */
function check(key: string, write: () => string): void {
  const expected = references.results[key];
  assert.ok(expected !== undefined, `no reference for ${key}: run scripts/llama-factory-tool-references.py`);
  if (typeof expected === "string") assert.equal(write(), expected);
  else
    assert.throws(
      write,
      (error: Error) => error instanceof TrainerRefusedError && error.message.includes(expected.raised.split(": ").slice(1).join(": ").slice(0, 30)),
    );
}

describe(`LLaMA-Factory's tool formats, byte for byte (${references.source})`, () => {
  for (const name of cases.formats) {
    for (const [toolsName, tools] of Object.entries(cases.tools)) {
      it(`${name}: tools ${toolsName}`, () => check(`${name}/tools/${toolsName}`, () => toolFormat(name).tools(structuredClone(tools))));
    }
    for (const [callsName, calls] of Object.entries(cases.calls)) {
      it(`${name}: calls ${callsName}`, () => check(`${name}/calls/${callsName}`, () => toolFormat(name).calls(calls)));
    }
  }
});
