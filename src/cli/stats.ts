import { formatLabels } from "../core/formats/detect";
import { DatasetStats, StatsCollector } from "../core/stats/collector";
import { readDataset } from "./readDataset";

export async function statsCommand(files: string[], options: { json?: boolean }): Promise<number> {
  const results: Array<{ file: string } & DatasetStats> = [];
  for (const file of files) {
    const collector = new StatsCollector();
    for await (const line of readDataset(file)) collector.add(line);
    results.push({ file, ...collector.result() });
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return 0;
  }
  for (const r of results) {
    process.stdout.write(`${r.file}\n  rows: ${r.rows}  blank: ${r.blankLines}  invalid: ${r.invalidRows}  characters: ${r.characters}  longest row: ${r.longestRowCharacters}\n`);
    for (const [format, count] of Object.entries(r.formats)) {
      process.stdout.write(`  ${formatLabels[format as keyof typeof formatLabels] ?? format}: ${count}\n`);
    }
  }
  return 0;
}
