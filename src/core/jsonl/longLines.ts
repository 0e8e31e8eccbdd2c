export interface LongLineReport {
  /** Lines longer than the limit. */
  count: number;
  /** Length of the longest line, in UTF-16 code units as the editor counts them. */
  longest: number;
  /** 0-based index of the first line over the limit, or -1. */
  firstLine: number;
}

/** Finds the lines that VS Code's tokenizer would skip (`editor.maxTokenizationLineLength`). */
export function findLongLines(text: string, limit: number): LongLineReport {
  const report: LongLineReport = { count: 0, longest: 0, firstLine: -1 };
  let start = 0;
  for (let line = 0; start <= text.length; line++) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const length = end > start && text.charCodeAt(end - 1) === 13 ? end - start - 1 : end - start;
    if (length > report.longest) report.longest = length;
    if (length > limit) {
      report.count++;
      if (report.firstLine === -1) report.firstLine = line;
    }
    start = end + 1;
  }
  return report;
}
