import type { ChatTurn, JsonSchema } from "../model/backend";

/**
 * Genstruct (NousResearch/Genstruct-7B's card): a raw completion whose prompt ends at
 * "[[[User]]] "; the model writes the question, "[[[Assistant]]]", then the answer.
 */
export function genstructPrompt(title: string, content: string): string {
  return `[[[Title]]] ${title}\n[[[Content]]] ${content}\n\nThe following is an interaction between a user and an AI assistant that is related to the above text.\n\n[[[User]]] `;
}

export const genstructStops = ["[[[User]]]", "[[[Title]]]"];

export function isGenstructModel(label: string): boolean {
  return /genstruct/i.test(label);
}

export class GenstructParseError extends Error {}

export function parseGenstruct(completion: string): { question: string; answer: string } {
  const marker = completion.indexOf("[[[Assistant]]]");
  if (marker < 0) throw new GenstructParseError("the model wrote no [[[Assistant]]] part");
  let answer = completion.slice(marker + "[[[Assistant]]]".length);
  for (const stop of genstructStops) {
    const at = answer.indexOf(stop);
    if (at >= 0) answer = answer.slice(0, at);
  }
  const question = completion.slice(0, marker).trim();
  answer = answer.trim();
  if (!question || !answer) throw new GenstructParseError("the question or the answer is empty");
  return { question, answer };
}

/** Other models get the same task as a chat prompt with a JSON reply. */
export const groundedSchema: JsonSchema = {
  type: "object",
  properties: { question: { type: "string", minLength: 1, maxLength: 800 }, answer: { type: "string", minLength: 1, maxLength: 2000 } },
  additionalProperties: false,
};

export function groundedChatPrompt(title: string, content: string): ChatTurn[] {
  return [
    { role: "system", content: "You write instruction-tuning data grounded in a given text. You answer with one JSON object and nothing else." },
    {
      role: "user",
      content:
        `Title: ${title}\nText:\n${content}\n\n` +
        "Write one question a user could ask that needs this text to answer (a scenario or a reasoning question, not a copy of a sentence), " +
        'and the assistant\'s complete answer, which reasons from the text. Reply as {"question": ..., "answer": ...}.',
    },
  ];
}
