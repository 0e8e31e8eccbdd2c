import type { CanonicalRole } from "../formats/layout";

/** One turn of a conversation, as the converters pass rows between formats. */
export interface Turn {
  role: CanonicalRole;
  content: string;
}

export type Converted = { row: Record<string, unknown> } | { skipped: string };
