import { MarkerTokens, runAt } from "./markerTokens";

/**
 * The token ranges Unsloth's `_train_on_responses_only` trains, transcribed step for step
 * (unsloth-zoo ce232d6): from the end of each response marker to the start of the next
 * instruction marker, or to the end of the row. Its quirks are kept: the optional tokens after a
 * marker are compared one position late (`input_ids[k+1]`), and an instruction marker on the last
 * token counts as the row's end.
 */
export function responseSpans(ids: readonly number[], instruction: MarkerTokens, response: MarkerTokens, lastOnly: boolean): Array<[number, number]> {
  const n = ids.length;
  const last = n - 1;
  const spans: Array<[number, number]> = [];
  // One k for the whole row, as in Python, where the walrus `k := j + len(marker)` runs whenever a marker's first token matches.
  let k = 0;
  const found = (at: number, marker: MarkerTokens): boolean => {
    if (ids[at] !== marker.core[0]) return false;
    k = at + marker.core.length;
    return runAt(ids, at, marker.core);
  };
  const extend = (marker: MarkerTokens, at: number): number => {
    let start = at;
    for (const optional of [...marker.left].reverse()) {
      if (start < 1 || optional !== ids[start - 1]) break;
      start -= 1;
    }
    for (const optional of marker.right) {
      if (k >= last || optional !== ids[k + 1]) break;
      k += 1;
    }
    return start;
  };
  let j = 0;
  while (j < n) {
    if (found(j, response)) {
      // Unsloth moves j back over the optional tokens, then restarts from the marker's end: only k counts.
      extend(response, j);
      const assistantEnd = k;
      j = assistantEnd;
      while (j < n) {
        if (j === last || found(j, instruction)) {
          j = extend(instruction, j);
          let userStart = j;
          if (userStart !== last) j = k;
          else {
            userStart = n;
            k = n;
          }
          spans.push([assistantEnd, userStart]);
          break;
        }
        j += 1;
      }
    }
    j += 1;
  }
  return lastOnly ? spans.slice(-1) : spans;
}
