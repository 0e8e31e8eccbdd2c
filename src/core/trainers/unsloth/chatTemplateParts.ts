import { ChatTemplateSource, renderChat } from "../../templates/chatTemplate";
import type { ModelTokenizer } from "../../tokenizers/modelTokenizer";
import { TrainerRefusedError } from "../trainerRefused";
import { markerTokens, runAt } from "./markerTokens";

export interface ResponseParts {
  instructionPart: string;
  responsePart: string;
}

// Unsloth's probe contents: word joiners around a tag, which survive Jinja's |trim and match no real token.
const userProbe = "\u2060USERPROBE7q\u2060";
const assistantProbe = "\u2060ASSTPROBE4z\u2060";

const refused = (message: string): TrainerRefusedError => new TrainerRefusedError(`Unsloth: ${message}`);

function positions(text: string, needle: string, end: boolean): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) found.push(end ? at + needle.length : at);
  return found;
}

/** Python's `strip_lead(s, *prefixes)`: any of the prefixes removed from the front, repeatedly. */
function stripLead(text: string, ...prefixes: string[]): string {
  let changed = true;
  while (changed) {
    changed = false;
    for (const prefix of prefixes) {
      if (prefix && text.startsWith(prefix)) {
        text = text.slice(prefix.length);
        changed = true;
      }
    }
  }
  return text;
}

/** Python's `Counter(items).most_common(1)`: the most frequent, the first seen among equals. */
function mostCommon(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  let best = "";
  let bestCount = 0;
  for (const [item, count] of counts) {
    if (count > bestCount) [best, bestCount] = [item, count];
  }
  return best;
}

type Wrap = (text: string) => unknown;
const asString: Wrap = (text) => text;
const asParts: Wrap = (text) => [{ type: "text", text }];

/**
 * Unsloth's `get_chat_template_parts` (unsloth-zoo ce232d6), reproduced: a three-turn probe
 * conversation is rendered, the markers are read off the gaps between the probe contents and off
 * the generation prompt, reasoning scaffolding is dropped when a real reasoning turn lacks it,
 * and each marker must be found (twice if it can) in the tokenized probe.
 */
export function chatTemplateParts(template: ChatTemplateSource, tokenizer: ModelTokenizer): ResponseParts {
  const render = (messages: unknown[], generationPrompt: boolean) =>
    renderChat(template, messages, { addGenerationPrompt: generationPrompt, now: new Date(0) });
  const eos = tokenizer.eosToken ?? "";
  const bos = tokenizer.bosToken ?? "";
  const specials = [...new Set([bos, eos, ...(tokenizer.addedTokens ?? [])].filter(Boolean))].sort((a, b) => b.length - a.length);
  const stripShared = (a: string, b: string): [string, string] => {
    for (;;) {
      const spaceA = /^\s+/.exec(a)?.[0];
      const spaceB = /^\s+/.exec(b)?.[0];
      if (spaceA && spaceA === spaceB) {
        [a, b] = [a.slice(spaceA.length), b.slice(spaceB.length)];
        continue;
      }
      const token = specials.find((special) => a.startsWith(special));
      if (token && b.startsWith(token)) {
        [a, b] = [a.slice(token.length), b.slice(token.length)];
        continue;
      }
      return [a, b];
    }
  };
  const conversation = (user: Wrap, assistant: Wrap) =>
    Array.from({ length: 3 }, () => [
      { role: "user", content: user(userProbe) },
      { role: "assistant", content: assistant(assistantProbe) },
    ]).flat();

  let shapes: [Wrap, Wrap] | undefined;
  let full = "";
  for (const [user, assistant] of [
    [asString, asString],
    [asParts, asParts],
    [asParts, asString],
  ] as Array<[Wrap, Wrap]>) {
    let rendered: string;
    try {
      rendered = render(conversation(user, assistant), false);
    } catch {
      continue;
    }
    if (rendered.includes(userProbe) && rendered.includes(assistantProbe)) {
      shapes = [user, assistant];
      full = rendered;
      break;
    }
  }
  if (!shapes) throw refused("Could not auto-detect chat template structure - pass instruction_part and response_part.");
  const [userWrap, assistantWrap] = shapes;
  const gapMode = (fromEnds: number[], toStarts: number[]): string => {
    const gaps: string[] = [];
    for (const end of fromEnds) {
      const next = toStarts.filter((start) => start >= end);
      if (next.length > 0) gaps.push(full.slice(end, Math.min(...next)));
    }
    return mostCommon(gaps);
  };
  const instructionGap = gapMode(positions(full, assistantProbe, true), positions(full, userProbe, false));
  const responseGap = gapMode(positions(full, userProbe, true), positions(full, assistantProbe, false));

  const endOnUser = conversation(userWrap, assistantWrap).slice(0, -1);
  const tail = (text: string) => (text.includes(userProbe) ? text.slice(text.lastIndexOf(userProbe) + userProbe.length) : "");
  const withPrompt = render(endOnUser, true);
  const withoutPrompt = render(endOnUser, false);
  const assistantHeader = withPrompt === withoutPrompt ? "" : stripShared(tail(withPrompt), tail(withoutPrompt))[0];

  let instructionPart: string;
  let responsePart: string;
  if (assistantHeader && responseGap.endsWith(assistantHeader) && assistantHeader.length < responseGap.length) {
    responsePart = assistantHeader;
    instructionPart = stripLead(instructionGap, responseGap.slice(0, -assistantHeader.length));
  } else if (assistantHeader && assistantHeader === responseGap) {
    [responsePart, instructionPart] = stripShared(assistantHeader, instructionGap);
    instructionPart = stripLead(instructionPart, " ", "\t", eos, bos);
  } else {
    responsePart = stripLead(responseGap, " ", "\t", eos, bos);
    instructionPart = stripLead(instructionGap, " ", "\t", eos, bos);
  }

  const scaffold = /<([^\s/>]+)>\s*<\/\1>\s*$/.exec(responsePart) ?? /<\/([^\s/>]+)>\s*$/.exec(responsePart);
  if (scaffold && scaffold.index > 0) {
    const tag = scaffold[1];
    const header = responsePart.slice(0, scaffold.index);
    try {
      const filled = render(
        [
          { role: "user", content: userWrap(userProbe) },
          { role: "assistant", content: assistantWrap(`<${tag}>rZ9</${tag}>${assistantProbe}`) },
        ],
        false,
      );
      const at = filled.lastIndexOf(header);
      const after = at === -1 ? "" : filled.slice(at + header.length);
      if (at !== -1 && !after.startsWith(responsePart.slice(scaffold.index))) responsePart = header;
    } catch {
      // Unsloth keeps the marker when the reasoning probe fails to render.
    }
  }

  instructionPart = stripLead(instructionPart, " ", "\t").replace(/[ \t]+$/, "");
  responsePart = stripLead(responsePart, " ", "\t").replace(/[ \t]+$/, "");
  if (!instructionPart || !responsePart) throw refused("Auto-detection produced an empty marker - pass instruction_part and response_part.");

  const probeIds = tokenizer.encode(full);
  const matches = (candidate: string): number => {
    const { core } = markerTokens(candidate, (text) => tokenizer.encode(text), true);
    if (core.length === 0) return 0;
    let count = 0;
    for (let i = 0; i + core.length <= probeIds.length; i++) if (runAt(probeIds, i, core)) count++;
    return count;
  };
  const validate = (part: string, name: string): string => {
    const counts = [part, ` ${part}`, `\n${part}`].map((candidate) => ({ candidate, count: matches(candidate) }));
    const twice = counts.find(({ count }) => count >= 2) ?? counts.slice(0, 2).find(({ count }) => count >= 1);
    if (twice) return twice.candidate;
    throw refused(`Could not reliably auto-detect ${name} (detected ${JSON.stringify(part)}) - pass instruction_part and response_part.`);
  };
  return { instructionPart: validate(instructionPart, "instruction_part"), responsePart: validate(responsePart, "response_part") };
}
