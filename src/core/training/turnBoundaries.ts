/**
 * Axolotl's way of finding a turn's trained tokens (ChatTemplateStrategy.find_turn): render the
 * conversation up to the turn twice, once with the turn's content replaced by a dummy message,
 * and take the token range where the two differ. Returns undefined where Axolotl gives up (and
 * trains nothing of the turn): no difference, or an empty or inverted range.
 */
export function findTurn(dummyIds: readonly number[], fullIds: readonly number[]): { start: number; end: number } | undefined {
  const shorter = Math.min(dummyIds.length, fullIds.length);
  if (shorter === 0) return undefined;
  let start = -1;
  for (let i = 0; i < shorter; i++) {
    if (dummyIds[i] !== fullIds[i]) {
      start = i;
      break;
    }
  }
  if (start === -1) return undefined;
  let end = -1;
  for (let i = 0; i < shorter; i++) {
    if (dummyIds[dummyIds.length - 1 - i] !== fullIds[fullIds.length - 1 - i]) {
      end = fullIds.length - i;
      break;
    }
  }
  if (end === -1 || end <= start) return undefined;
  return { start, end };
}

export const dummyContent = "[[dummy_message]]";

/** Axolotl trains an end-of-turn token found within this many tokens after the turn's content. */
export const eotSearchSlack = 3;

export function findEndOfTurn(ids: readonly number[], from: number, eotIds: ReadonlySet<number>): number | undefined {
  for (let i = from; i < ids.length; i++) if (eotIds.has(ids[i])) return Math.abs(i - from) <= eotSearchSlack ? i : undefined;
  return undefined;
}
