import type { ChatLayout } from "./layout";
import type { JsonSchema } from "../model/backend";

/**
 * JSON schemas of one new entry per format, for grammar-constrained generation. node-llama-cpp's
 * grammar ignores `required` (every property is emitted, in declaration order) and has no
 * `pattern`, so fields are declared in the order a writer thinks (instruction, input, output) and
 * every string is bounded: an unbounded string lets a weak model run until `maxTokens`.
 */
export const text = (maxLength: number, minLength = 0): JsonSchema => ({ type: "string", minLength, maxLength });
export const object = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: "object", properties, additionalProperties: false });

export const maxFieldChars = { instruction: 600, input: 600, output: 1500 };

export interface ChatRoleNames {
  user: string;
  assistant: string;
}

export function chatSchema(layout: ChatLayout, names: ChatRoleNames): JsonSchema {
  const turn = (role: string, maxLength: number) => object({ [layout.roleKey]: { const: role }, [layout.contentKey]: text(maxLength, 1) });
  return object({
    [layout.field]: {
      type: "array",
      prefixItems: [turn(names.user, maxFieldChars.instruction), turn(names.assistant, maxFieldChars.output)],
      minItems: 2,
      maxItems: 2,
    },
  });
}
