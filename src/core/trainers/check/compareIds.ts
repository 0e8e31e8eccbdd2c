/** A trainer's answer for one row, from its own preprocessing. */
export type TrainerAnswer =
  | { trainer: string; version: string; input_ids: number[]; labels: number[]; tokens?: string[] }
  | { trainer: string; version: string; dropped: true }
  | { error: string; missing?: boolean };

export interface IdsAndLabels {
  inputIds: number[];
  labels: number[];
}

export interface CheckOutcome {
  agrees: boolean;
  /** One line for the user: what matched, or where the first difference is. */
  summary: string;
}

const describe = (id: number | undefined, label: number | undefined, decode: (ids: number[]) => string) =>
  id === undefined
    ? "nothing (the sequence has ended)"
    : `id ${id} ${JSON.stringify(decode([id]))}${label === undefined ? "" : label === -100 ? ", masked" : label === id ? ", trained" : `, labelled ${label}`}`;

/** Whether the panel's ids and labels are the trainer's, and the first token where they are not. */
export function compareWithTrainer(ours: IdsAndLabels, answer: TrainerAnswer, decode: (ids: number[]) => string): CheckOutcome {
  if ("error" in answer) return { agrees: false, summary: `The trainer failed on this row: ${answer.error}` };
  const who = `${answer.trainer}${answer.version ? ` ${answer.version}` : ""}`;
  if ("dropped" in answer) return { agrees: false, summary: `${who} drops this row (it builds no example from it); the panel shows what it would hold.` };
  const length = Math.max(ours.inputIds.length, answer.input_ids.length);
  for (let i = 0; i < length; i++) {
    if (ours.inputIds[i] === answer.input_ids[i] && ours.labels[i] === answer.labels[i]) continue;
    return {
      agrees: false,
      summary: `${who} differs from the panel at token ${i + 1} of ${answer.input_ids.length}: ${who} has ${describe(answer.input_ids[i], answer.labels[i], decode)}, the panel ${describe(ours.inputIds[i], ours.labels[i], decode)}.`,
    };
  }
  const trained = answer.labels.filter((l) => l !== -100).length;
  return {
    agrees: true,
    summary: `${who} agrees with the panel: the same ${answer.input_ids.length.toLocaleString("en-US")} ids and labels (${trained.toLocaleString("en-US")} trained).`,
  };
}
