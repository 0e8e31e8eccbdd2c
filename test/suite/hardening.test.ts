import assert from "node:assert/strict";
import * as vscode from "vscode";
import type { InternalStats } from "../../src/commands";
import { openInEditor, screenshot, waitFor, workspaceFile } from "./helpers";

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === "Instruct Studio");
const rulesAt = (uri: vscode.Uri, line: number) =>
  ours(uri)
    .filter((d) => d.range.start.line === line)
    .map((d) => String(d.code));

async function diagnosticsFor(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean, what: string, timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  return waitFor(
    what,
    () => {
      const found = ours(uri);
      return accept(found) ? found : undefined;
    },
    timeoutMs,
  );
}

async function writeFile(name: string, content: string | Buffer): Promise<vscode.Uri> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, typeof content === "string" ? Buffer.from(content) : content);
  return uri;
}

/** Samples the extension host's event loop lag every 5 ms (tests run in the extension host itself). */
function lagProbe(): { lags: number[]; probe: NodeJS.Timeout } {
  const lags: number[] = [];
  let tick = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    lags.push(now - tick - 5);
    tick = now;
  }, 5);
  return { lags, probe };
}

const missingOutput = '{"id":123,"instruction":"a","input":"","outptu":"b"}';
const clean = '{"instruction":"Name a colour.","input":"","output":"Blue."}';

describe("hardening in the editor", function () {
  this.timeout(180_000);

  it("rows with __proto__ keys or roles and a row 5,000 deep each get their finding; the other rows theirs", async () => {
    const deep = `{"instruction":"a","input":"","output":"b","x":${"[".repeat(5000)}${"]".repeat(4999)}}`;
    const rows = [
      '{"instruction":"a","input":"","output":"b","__proto__":{"polluted":1}}',
      '{"conversations":[{"from":"constructor","value":"x"},{"from":"gpt","value":"y"}]}',
      deep,
      missingOutput,
    ];
    await writeFile("hostile.jsonl", `${rows.join("\n")}\n`);
    const editor = await openInEditor("hostile.jsonl", 3);
    const uri = editor.document.uri;
    await diagnosticsFor(uri, (d) => d.some((x) => x.code === "missing-field"), "the last row's diagnostics");
    assert.deepEqual(rulesAt(uri, 0), ["unused-key"]);
    assert.ok(rulesAt(uri, 1).includes("unknown-role"), rulesAt(uri, 1).join());
    assert.deepEqual(rulesAt(uri, 2), ["too-deep"]);
    assert.deepEqual(rulesAt(uri, 3).sort(), ["missing-field", "unknown-key"]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const report = await vscode.commands.executeCommand<{ markdown: string }>("instructStudio.showReport");
    assert.match(report.markdown, /too-deep/);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    await screenshot("hardening-hostile-rows");
  });

  it("a quick fix is never computed on a copy that lost an edit: the copy is rebuilt and the fix is exact", async () => {
    await writeFile("drift.jsonl", `${missingOutput}\n${clean}\n`);
    const editor = await openInEditor("drift.jsonl");
    const uri = editor.document.uri;
    await diagnosticsFor(uri, (d) => d.some((x) => x.code === "unknown-key"), "the misspelt key");
    // The validator's copy loses `"id":123,` from line 1, as a throwing multi-change edit once made
    // it: the row still parses there, with its rename fix at columns 9 to the left of the document's.
    await vscode.commands.executeCommand("instructStudio.internal.loseValidatorEdit", uri.toString(), 0, 1, 10);
    assert.notEqual(await vscode.commands.executeCommand("instructStudio.internal.validatorLine", uri.toString(), 0), missingOutput);
    const range = new vscode.Range(0, 0, 0, missingOutput.length);
    await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, range);
    await waitFor("the copy to be rebuilt", async () =>
      (await vscode.commands.executeCommand("instructStudio.internal.validatorLine", uri.toString(), 0)) === missingOutput ? true : undefined,
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, range);
    const rename = actions.find((a) => /Rename `outptu`/.test(a.title));
    assert.ok(rename?.edit, actions.map((a) => a.title).join(" | "));
    assert.ok(await vscode.workspace.applyEdit(rename.edit));
    assert.equal(editor.document.lineAt(0).text, '{"id":123,"instruction":"a","input":"","output":"b"}');
    await diagnosticsFor(uri, (d) => d.length === 0, "a clean file");
  });

  it("types in a file of 100,000 identical rows without holding up the extension host", async () => {
    await writeFile("identical.jsonl", `${Array(100_000).fill(clean).join("\n")}\n`);
    // The host's event loop lag while the file opens and while typing.
    const { lags, probe } = lagProbe();
    const opened = performance.now();
    const editor = await openInEditor("identical.jsonl", 50_000);
    const uri = editor.document.uri;
    await diagnosticsFor(uri, (d) => d.length === 1000, "1,000 published duplicates", 120_000);
    const openMs = performance.now() - opened;
    const openLags = [...lags];
    const editMs: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      await editor.edit((edit) => edit.insert(new vscode.Position(50_000, clean.length - 3), "x"), { undoStopBefore: false, undoStopAfter: false });
      editMs.push(performance.now() - started);
    }
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(probe);
    const stats = await waitFor("the status bar's counts", async () => {
      const s = await vscode.commands.executeCommand<InternalStats>("instructStudio.internal.stats");
      return s.validation?.counts.warning === 99_998 ? s : undefined;
    });
    lags.sort((a, b) => a - b);
    const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)];
    const openMax = Math.max(...openLags);
    console.log(
      `100,000 identical rows: validated in ${openMs.toFixed(0)} ms (host lag meanwhile p95 ${p95(openLags).toFixed(1)} ms, max ${openMax.toFixed(1)} ms); 30 keystrokes: edit p95 ${p95(editMs).toFixed(1)} ms, host lag p95 ${p95(lags).toFixed(1)} ms, max ${lags[lags.length - 1].toFixed(1)} ms`,
    );
    assert.equal(stats.validation?.rows, 100_000);
    assert.ok(stats.validationThreadId !== undefined && stats.validationThreadId > 0, "validated in a worker thread");
    assert.ok(openMax < 1000, `the host stalled ${openMax.toFixed(0)} ms while the file was validated`);
    assert.ok(lags[lags.length - 1] < 1000, `the host stalled ${lags[lags.length - 1].toFixed(0)} ms`);
    assert.ok(p95(lags) < 100, `host lag p95 ${p95(lags).toFixed(0)} ms`);
    await screenshot("hardening-identical-rows");
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  });

  it("a crashed validation worker is replaced and every open dataset validated again", async () => {
    await writeFile("survivor.jsonl", `${missingOutput}\n${clean}\n`);
    const editor = await openInEditor("survivor.jsonl");
    const uri = editor.document.uri;
    await diagnosticsFor(uri, (d) => d.some((x) => x.code === "unknown-key"), "the misspelt key");
    const before = await vscode.commands.executeCommand<InternalStats>("instructStudio.internal.stats");
    await vscode.commands.executeCommand("instructStudio.internal.killValidationWorker");
    // An edit made while no worker runs is part of the text the new one validates.
    await editor.edit((edit) => edit.insert(new vscode.Position(2, 0), `${clean}\n`));
    const summary = await waitFor("the new worker's validation", async () =>
      vscode.commands
        .executeCommand<{ rows: number } | undefined>("instructStudio.internal.validated", uri.toString())
        .then((s) => (s?.rows === 3 ? s : undefined)),
    );
    const after = await vscode.commands.executeCommand<InternalStats>("instructStudio.internal.stats");
    assert.notEqual(after.validationThreadId, before.validationThreadId);
    assert.equal(summary.rows, 3);
    await diagnosticsFor(uri, (d) => d.some((x) => x.code === "duplicate-row" && x.range.start.line === 2), "the new row's duplicate finding");
    assert.deepEqual(rulesAt(uri, 0).sort(), ["missing-field", "unknown-key"]);
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  });

  it("a training config of megabytes is parsed off the extension host, then applied", async () => {
    // The mapping first, then 3.8 MB of other settings: parsed on the host this took about 2 s.
    const mapping = [
      "datasets:",
      "  - path: ./big-config-dialog.jsonl",
      "    type: chat_template",
      "    field_messages: dialog",
      "    message_property_mappings:",
      "      role: speaker",
      "      content: text",
    ];
    const filler: string[] = ["extra_settings:"];
    for (let i = 0, size = 0; size < 3.8 * 1024 * 1024; i++) {
      const entry = `  - {name: setting_${i}, value: ${i}, note: "a note of some length"}`;
      filler.push(entry);
      size += entry.length + 1;
    }
    await writeFile("big-config.yml", `${[...mapping, ...filler].join("\n")}\n`);
    const uri = await writeFile(
      "big-config-dialog.jsonl",
      `${JSON.stringify({
        dialog: [
          { speaker: "user", text: "hi" },
          { speaker: "robot", text: "hello" },
        ],
      })}\n`,
    );
    await openInEditor("big-config-dialog.jsonl");
    await diagnosticsFor(uri, (d) => d.some((x) => x.code === "no-instruction-format"), "the rows read without the config");
    const { lags, probe } = lagProbe();
    const config = vscode.workspace.getConfiguration("instructStudio");
    const started = performance.now();
    await config.update("trainingConfig", "big-config.yml", vscode.ConfigurationTarget.Workspace);
    try {
      await diagnosticsFor(uri, (d) => d.some((x) => x.code === "unknown-role"), "the big config's roles applied", 60_000);
      clearInterval(probe);
      const maxLag = Math.max(...lags);
      console.log(`3.8 MB training config applied after ${(performance.now() - started).toFixed(0)} ms; host lag meanwhile max ${maxLag.toFixed(0)} ms`);
      assert.ok(maxLag < 1000, `the host stalled ${maxLag.toFixed(0)} ms`);
    } finally {
      clearInterval(probe);
      await config.update("trainingConfig", undefined, vscode.ConfigurationTarget.Workspace);
    }
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  });

  it("lone CRs, UTF-16 and U+FFFD on disk are findings in the editor, as in the CLI", async () => {
    const cr = await writeFile("lone-cr.jsonl", `${clean}\r${clean.replace("Blue", "Red")}\r`);
    await openInEditor("lone-cr.jsonl");
    const [ending] = await diagnosticsFor(cr, (d) => d.some((x) => x.code === "line-ending"), "the line-ending finding");
    assert.equal(ending.range.start.line, 0);
    const utf16 = await writeFile("utf16.jsonl", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${clean}\n`, "utf16le")]));
    await openInEditor("utf16.jsonl");
    const [encoding] = await diagnosticsFor(utf16, (d) => d.some((x) => x.code === "invalid-utf8"), "the UTF-16 finding");
    assert.match(encoding.message, /UTF-16LE, not UTF-8/);
    const invalid = await writeFile(
      "invalid-utf8.jsonl",
      Buffer.concat([Buffer.from('{"instruction":"caf'), Buffer.from([0xe9]), Buffer.from('","input":"","output":"x"}\n')]),
    );
    await openInEditor("invalid-utf8.jsonl");
    await diagnosticsFor(invalid, (d) => d.some((x) => x.code === "invalid-utf8"), "the invalid UTF-8 finding");
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    await screenshot("hardening-encodings");
  });

  it("a bad severity in instructStudio.rules is named in a warning and turns no validation off", async () => {
    const config = vscode.workspace.getConfiguration("instructStudio");
    await config.update("rules", { "unused-key": "Error", "blank-line": "loud" }, vscode.ConfigurationTarget.Workspace);
    try {
      const uri = await writeFile("rules.jsonl", `${clean.replace("}", ',"extra":1}')}\n\n${missingOutput}\n`);
      await openInEditor("rules.jsonl");
      const found = await diagnosticsFor(
        uri,
        (d) => d.some((x) => x.code === "missing-field") && d.some((x) => x.code === "unused-key"),
        "diagnostics under the bad setting",
      );
      assert.equal(found.find((d) => d.code === "unused-key")?.severity, vscode.DiagnosticSeverity.Error, '"Error" is read as error');
      assert.equal(found.find((d) => d.code === "blank-line")?.severity, vscode.DiagnosticSeverity.Warning, "blank-line keeps its default");
    } finally {
      await config.update("rules", undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it("hovers show dataset roles as text: no link or image from a row gets rendered", async () => {
    await writeFile(
      "hover.jsonl",
      '{"messages":[{"role":"![x](https://example.com/a.png)[click](command:workbench.action.quit)","content":"hi"},{"role":"assistant","content":"yo"}]}\n',
    );
    const editor = await openInEditor("hover.jsonl");
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", editor.document.uri, new vscode.Position(0, 0));
    const markdown = hovers.flatMap((h) => h.contents.map((c) => (c as vscode.MarkdownString).value ?? "")).join("\n");
    assert.match(markdown, /Turns: /);
    assert.ok(!markdown.includes("](https://example.com") && !markdown.includes("](command:"), markdown);
  });
});
