import { formatLabels } from "../core/formats/detect";
import { DatasetStats, StatsCollector } from "../core/stats/collector";
import { escapeControls, write } from "./output";
import { readDataset } from "./readDataset";

type FileStats = { file: string } & (DatasetStats | { error: string });

/** Characters, rows and formats per file; a file that cannot be read is its own error, the others are still counted. */
export async function statsCommand(files: string[], options: { json?: boolean }): Promise<number> {
  const results: FileStats[] = [];
  for (const file of files) {
    const collector = new StatsCollector();
    try {
      for await (const line of readDataset(file)) collector.add(line);
      results.push({ file, ...collector.result() });
    } catch (error) {
      results.push({ file, error: `Cannot read the file: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  const failed = results.some((r) => "error" in r);
  if (options.json) {
    await write(`${JSON.stringify(results, null, 2)}\n`);
    return failed ? 1 : 0;
  }
  for (const r of results) {
    if ("error" in r) {
      await write(`${escapeControls(r.file)}\n  ${escapeControls(r.error)}\n`);
      continue;
    }
    await write(`${escapeControls(r.file)}\n  rows: ${r.rows}  blank: ${r.blankLines}  invalid: ${r.invalidRows}  characters: ${r.characters}  longest row: ${r.longestRowCharacters}\n`);
    for (const [format, count] of Object.entries(r.formats)) {
      await write(`  ${formatLabels[format as keyof typeof formatLabels] ?? format}: ${count}\n`);
    }
  }
  return failed ? 1 : 0;
}
