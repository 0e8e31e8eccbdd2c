import assert from "node:assert/strict";
import * as vscode from "vscode";
import { readLines } from "../../src/core/jsonl/lineReader";
import { validateLines } from "../../src/core/validate/streamValidator";
import { openInEditor, screenshot, waitFor, workspaceFile } from "./helpers";

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === "Instruct Studio");

interface ArrayFindings {
  isDataset: boolean;
  count: number;
}

/** Waits until the JSON-array validator has seen the document's current version. */
const validated = (uri: vscode.Uri) =>
  waitFor(
    `the JSON-array validation of ${uri.fsPath}`,
    async () => (await vscode.commands.executeCommand<ArrayFindings | null>("instructStudio.internal.arrayFindings", uri.toString())) ?? undefined,
  );

// Pretty-printed as alpaca_data.json is: each row spans five lines.
const alpacaArray = `[
    {
        "instruction": "Give three tips for staying healthy.",
        "input": "",
        "output": "1. Eat a balanced diet.\\n2. Exercise.\\n3. Sleep."
    },
    {
        "instruction": "What is the capital of France?",
        "input": "",
        "output": ""
    },
    {
        "instruction": "Give three tips for staying healthy.",
        "input": "",
        "output": "1. Eat a balanced diet.\\n2. Exercise.\\n3. Sleep."
    },
    {
        "instruction": "<b>Translate</b> to Korean: good morning",
        "input": "",
        "outptu": "좋은 아침입니다"
    }
]
`;

describe("JSON-array datasets in the editor", () => {
  it("reads each element of a .json array as a row, with findings at their lines, and a duplicate's fix keeps the JSON valid", async () => {
    const uri = workspaceFile("alpaca_data.json");
    await vscode.workspace.fs.writeFile(uri, Buffer.from(alpacaArray));
    const editor = await openInEditor("alpaca_data.json");
    assert.equal(editor.document.languageId, "json");
    const result = await validated(uri);
    assert.equal(result.isDataset, true);
    const found = ours(uri);
    const at = (rule: string) => found.find((d) => d.code === rule);
    assert.equal(editor.document.getText(at("empty-output")!.range), '""');
    assert.equal(at("empty-output")!.range.start.line, 9);
    assert.equal(editor.document.getText(at("unknown-key")!.range), '"outptu"');
    assert.equal(at("unknown-key")!.range.start.line, 19);
    assert.match(at("unknown-key")!.message, /did you mean `output`/);
    const duplicate = at("duplicate-row")!;
    assert.equal(duplicate.range.start.line, 11);
    assert.equal(duplicate.message, "Duplicate of row 1.");
    assert.equal(duplicate.relatedInformation?.[0].location.range.start.line, 1);
    // Nothing reported where JSONL would complain: no syntax errors on the array's lines.
    assert.deepEqual(
      found.filter((d) => d.code === "syntax"),
      [],
    );
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    editor.selection = new vscode.Selection(19, 10, 19, 10);
    await screenshot("json-array-alpaca");

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, duplicate.range);
    const remove = actions.find((a) => a.title === "Delete this duplicate row");
    assert.ok(remove, `no deletion among ${actions.map((a) => a.title).join(" | ")}`);
    assert.ok(await vscode.workspace.applyEdit(remove.edit!));
    const rows = JSON.parse(editor.document.getText()) as unknown[];
    assert.equal(rows.length, 3);
    await waitFor("the duplicate to be gone", () => (ours(uri).some((d) => d.code === "duplicate-row") ? undefined : true));
    assert.ok(ours(uri).some((d) => d.code === "unknown-key" && d.range.start.line === 14));
  });

  it("leaves syntax errors to VS Code's JSON language but offers the trailing-comma fix, and reads on past a missing comma; JSON arrays that hold no dataset are left alone", async () => {
    const broken = workspaceFile("broken_array.json");
    await vscode.workspace.fs.writeFile(broken, Buffer.from('[\n  {"instruction": "a", "output": "b"}\n  {"instruction": "c", "output": ""},\n]\n'));
    await openInEditor("broken_array.json");
    await validated(broken);
    const syntax = ours(broken).filter((d) => d.code === "syntax");
    assert.deepEqual(
      syntax.map((d) => [d.range.start.line, d.range.start.character, d.message]),
      [[2, 36, "Trailing comma before ]: JSON does not allow it."]],
    );
    assert.ok(
      ours(broken).some((d) => d.code === "empty-output" && d.range.start.line === 2),
      "the row after the missing comma is read",
    );
    const jsonOwn = await waitFor("VS Code's own JSON errors", () => {
      const own = vscode.languages.getDiagnostics(broken).filter((d) => d.source !== "Instruct Studio");
      return own.length > 0 ? own : undefined;
    });
    assert.ok(
      jsonOwn.some((d) => d.range.start.line === 2),
      "VS Code reports the missing comma",
    );

    const settings = workspaceFile("not_a_dataset.json");
    await vscode.workspace.fs.writeFile(settings, Buffer.from('[\n  {"name": "alpha", "port": 80},\n  {"name": "beta", "port": 81}\n]\n'));
    await openInEditor("not_a_dataset.json");
    assert.equal((await validated(settings)).isDataset, false);
    assert.deepEqual(ours(settings), []);
  });
});

describe("JSON Lines in a .json file (datasets' to_json)", () => {
  const row = (instruction: string, input: string, output: string) => JSON.stringify({ instruction, input, output });
  const rows = [
    row("Give three tips for staying healthy.", "", "Eat well, move, sleep."),
    row("Translate to French.", "N/A", "Bonjour."),
    row("Give three tips for staying healthy.", "", "Eat well, move, sleep."),
  ];
  const documentAt = (uri: vscode.Uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());

  it("opens as JSON Lines with the findings lint gives, not VS Code's JSON errors; a file set back to JSON stays JSON", async () => {
    const uri = workspaceFile("hf-export.json");
    const text = `${rows.join("\n")}\n`;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    await openInEditor("hf-export.json");
    const document = await waitFor("the .json file in the JSON Lines language", () => (documentAt(uri)?.languageId === "jsonl" ? documentAt(uri) : undefined));
    await vscode.window.showTextDocument(document, { preview: false });
    const expected: string[] = [];
    for await (const d of validateLines(
      readLines(
        (async function* () {
          yield Buffer.from(text);
        })(),
      ),
    ))
      expected.push(`${d.line}:${d.rule}`);
    assert.deepEqual(expected.sort(), ["1:placeholder-input", "2:duplicate-row"]);
    const found = await waitFor("the findings", () => {
      const mine = ours(uri).map((d) => `${d.range.start.line}:${String(d.code)}`);
      return mine.length >= expected.length ? mine : undefined;
    });
    assert.deepEqual(found.sort(), expected);
    await waitFor("no JSON errors", () => vscode.languages.getDiagnostics(uri).every((d) => d.source === "Instruct Studio"));
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    await screenshot("json-lines-in-json-file");

    await vscode.languages.setTextDocumentLanguage(document, "json");
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(documentAt(uri)?.languageId, "json", "put back to JSON by the user, it is not switched again");
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
  });

  it("stays JSON with instructStudio.openJsonLinesInJsonFiles off", async () => {
    const settings = vscode.workspace.getConfiguration("instructStudio");
    await settings.update("openJsonLinesInJsonFiles", false, vscode.ConfigurationTarget.Workspace);
    try {
      const uri = workspaceFile("hf-export-kept.json");
      await vscode.workspace.fs.writeFile(uri, Buffer.from(`${rows.join("\n")}\n`));
      await openInEditor("hf-export-kept.json");
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(documentAt(uri)?.languageId, "json");
      await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    } finally {
      await settings.update("openJsonLinesInJsonFiles", undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

describe("instructStudio.target in the editor", () => {
  const setTarget = (value: string | undefined) =>
    vscode.workspace.getConfiguration("instructStudio").update("target", value, vscode.ConfigurationTarget.Workspace);

  it("makes a message key OpenAI rejects an error under openai, and only a hint otherwise", async () => {
    const uri = workspaceFile("openai_upload.jsonl");
    const row = {
      messages: [
        { role: "user", content: "2+2?", lang: "en" },
        { role: "assistant", content: "4" },
      ],
    };
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(row)}\n`));
    const editor = await openInEditor("openai_upload.jsonl");
    try {
      await waitFor("the unused-key hint", () => (ours(uri).some((d) => d.code === "unused-key") ? true : undefined));
      await setTarget("openai");
      const rejected = await waitFor("the target-rejects error", () => ours(uri).find((d) => d.code === "target-rejects"));
      assert.equal(rejected.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(editor.document.getText(rejected.range), '"lang"');
      assert.ok(!ours(uri).some((d) => d.code === "unused-key"));
      await vscode.commands.executeCommand("workbench.actions.view.problems");
      await screenshot("target-openai");
    } finally {
      await setTarget(undefined);
    }
    await waitFor("the hint again", () =>
      ours(uri).some((d) => d.code === "unused-key") && !ours(uri).some((d) => d.code === "target-rejects") ? true : undefined,
    );
  });
});

describe("LLaMA-Factory's dataset_info.json in the editor", () => {
  it("reads a file as the entry naming it says: renamed columns are known, a missing one is named", async () => {
    const info = { qa_renamed: { file_name: "qa.json", columns: { prompt: "question", query: "context", response: "answer" } } };
    await vscode.workspace.fs.writeFile(workspaceFile("llamafactory/dataset_info.json"), Buffer.from(JSON.stringify(info, null, 2)));
    const rows = [
      { question: "What is the boiling point of water at sea level?", context: "", answer: "100 degrees Celsius." },
      { question: "Name the largest ocean.", context: "" },
    ];
    const uri = workspaceFile("llamafactory/qa.json");
    await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(rows, null, 2)));
    const editor = await openInEditor("llamafactory/qa.json");
    assert.equal((await validated(uri)).isDataset, true);
    const found = ours(uri);
    assert.deepEqual(
      found.map((d) => [d.range.start.line, String(d.code)]),
      [[6, "missing-field"]],
    );
    assert.match(found[0].message, /has no `answer`; add it/);
    editor.selection = new vscode.Selection(6, 4, 6, 4);
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    await screenshot("dataset-info-columns");
  });
});

describe("Axolotl's other dataset types in the editor", () => {
  it("reads OASST rows and input_output segments by their own keys, and previews segments with only the labelled ones trained", async () => {
    const oasst = workspaceFile("oasst.jsonl");
    const rows = [
      { INSTRUCTION: "Explain photosynthesis in one sentence.", RESPONSE: "Plants turn light, water and CO2 into sugar and oxygen.", SOURCE: "oasst1" },
      { INSTRUCTION: "Name a prime number." },
    ];
    await vscode.workspace.fs.writeFile(oasst, Buffer.from(rows.map((r) => JSON.stringify(r)).join("\n") + "\n"));
    await openInEditor("oasst.jsonl");
    const found = await waitFor("the OASST finding", () => (ours(oasst).length > 0 ? ours(oasst) : undefined));
    assert.deepEqual(
      found.map((d) => [d.range.start.line, String(d.code), d.message]),
      [[1, "missing-field", "An OpenAssistant row has no `RESPONSE`; add it."]],
    );

    const segments = workspaceFile("segments.jsonl");
    const row = {
      segments: [
        { label: false, text: "<user> What is 2+2? </user>\n" },
        { label: true, text: "<bot> 4 </bot>" },
      ],
    };
    await vscode.workspace.fs.writeFile(segments, Buffer.from(`${JSON.stringify(row)}\n`));
    await openInEditor("segments.jsonl");
    await vscode.commands.executeCommand("instructStudio.showPreview");
    await vscode.window.showTextDocument(vscode.Uri.file(segments.fsPath), { preserveFocus: false });
    const report = await waitFor("the segments row in the panel", async () => {
      const stats = await vscode.commands.executeCommand<{
        previewRendered?: { uri: string | null; text: string; training?: { tokenElements: number; trainedElements: number } };
      }>("instructStudio.internal.stats");
      const shown = stats.previewRendered;
      return shown?.uri === segments.toString() && shown.training && shown.training.tokenElements > 0 ? shown : undefined;
    });
    assert.match(report.text, /input-output segments/);
    assert.ok(report.training!.trainedElements > 0 && report.training!.trainedElements < report.training!.tokenElements, JSON.stringify(report.training));
    assert.deepEqual(ours(segments), []);
    await screenshot("input-output-segments");
  });
});
