import type { DatasetInfoEntry } from "../../config/datasetInfo";
import { text } from "../../formats/inputHelpers";
import { TrainerRefusedError } from "../trainerRefused";
import type { LfMessage, LfRole } from "./lfTemplate";
import { pythonJsonDumps } from "./pythonJson";

/** LLaMA-Factory's DatasetAttr: which column and which tag mean what. Null where it reads none. */
interface DatasetAttr {
  formatting: "alpaca" | "sharegpt" | "openai";
  prompt: string | null;
  query: string | null;
  response: string | null;
  history: string | null;
  messages: string | null;
  system: string | null;
  tools: string | null;
  roleTag: string | null;
  contentTag: string | null;
  userTag: string | null;
  assistantTag: string | null;
  observationTag: string | null;
  functionTag: string | null;
  systemTag: string | null;
}

const defaultColumns = { prompt: "instruction", query: "input", response: "output", history: null, messages: "conversations", system: null, tools: null };
const defaultTags = {
  roleTag: "from",
  contentTag: "value",
  userTag: "human",
  assistantTag: "gpt",
  observationTag: "observation",
  functionTag: "function_call",
  systemTag: "system",
};
const tagKeys: Record<keyof typeof defaultTags, string> = {
  roleTag: "role_tag",
  contentTag: "content_tag",
  userTag: "user_tag",
  assistantTag: "assistant_tag",
  observationTag: "observation_tag",
  functionTag: "function_tag",
  systemTag: "system_tag",
};

/** `DatasetAttr.join`: a `columns` (or `tags`) object sets every column (tag), the ones it does not name to None. */
export function datasetAttr(entry: DatasetInfoEntry): DatasetAttr {
  const columns = entry.columnsGiven ? Object.fromEntries(Object.keys(defaultColumns).map((k) => [k, entry.columns[k] ?? null])) : defaultColumns;
  const tags = entry.tagsGiven ? Object.fromEntries(Object.entries(tagKeys).map(([k, key]) => [k, entry.tags[key] ?? null])) : defaultTags;
  return { formatting: entry.formatting, ...(columns as typeof defaultColumns), ...(tags as typeof defaultTags) } as DatasetAttr;
}

/** With no dataset_info.json entry, the row's own shape picks the defaults LLaMA-Factory's docs give for it. */
export function defaultEntry(row: Record<string, unknown>): DatasetInfoEntry {
  if (Array.isArray(row.messages)) {
    return {
      name: "(none)",
      fileName: "",
      formatting: "sharegpt",
      ranking: false,
      columns: { messages: "messages", ...(row.tools !== undefined ? { tools: "tools" } : {}) },
      tags: {
        role_tag: "role",
        content_tag: "content",
        user_tag: "user",
        assistant_tag: "assistant",
        system_tag: "system",
        observation_tag: "tool",
        function_tag: "function_call",
      },
      columnsGiven: true,
      tagsGiven: true,
    };
  }
  if (Array.isArray(row.conversations))
    return { name: "(none)", fileName: "", formatting: "sharegpt", ranking: false, columns: {}, tags: {}, columnsGiven: false, tagsGiven: false };
  return { name: "(none)", fileName: "", formatting: "alpaca", ranking: false, columns: {}, tags: {}, columnsGiven: false, tagsGiven: false };
}

/** What LLaMA-Factory's converters hand its processor. `dropped` says why the processor skips the row. */
export interface Converted {
  prompt: LfMessage[];
  response: LfMessage[];
  system: string;
  tools: string;
  dropped?: string;
  /** What the converter did to the row that a user would not expect. */
  notes?: string[];
}

/** `example[column]` where the column may be missing (datasets loads it as None). */
const get = (row: Record<string, unknown>, column: string | null): unknown => (column === null ? undefined : row[column]);
const truthy = (v: unknown) => v !== undefined && v !== null && v !== "" && v !== false && v !== 0 && !(Array.isArray(v) && v.length === 0);

function alpaca(row: Record<string, unknown>, attr: DatasetAttr): Converted {
  const prompt: LfMessage[] = [];
  const history = get(row, attr.history);
  if (attr.history && Array.isArray(history)) {
    for (const pair of history) {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new TrainerRefusedError(`LLaMA-Factory fails on this row: each "${attr.history}" item should be a [prompt, response] pair.`);
      prompt.push({ role: "user", content: text(pair[0]) }, { role: "assistant", content: text(pair[1]) });
    }
  }
  const query: string[] = [];
  if (attr.prompt && truthy(get(row, attr.prompt))) query.push(text(get(row, attr.prompt)));
  if (attr.query && truthy(get(row, attr.query))) query.push(text(get(row, attr.query)));
  prompt.push({ role: "user", content: query.join("\n") });
  const output = get(row, attr.response);
  const response: LfMessage[] = attr.response && typeof output === "string" ? [{ role: "assistant", content: output }] : [];
  return { prompt, response, system: attr.system ? text(get(row, attr.system)) : "", tools: attr.tools ? text(get(row, attr.tools)) : "" };
}

function conversation(row: Record<string, unknown>, attr: DatasetAttr): Converted {
  const tagRoles = new Map<string | null, LfRole | "system">([
    [attr.userTag, "user"],
    [attr.assistantTag, "assistant"],
    [attr.observationTag, "observation"],
    [attr.functionTag, "function"],
    [attr.systemTag, "system"],
  ]);
  const turns = get(row, attr.messages);
  if (!Array.isArray(turns)) throw new TrainerRefusedError(`LLaMA-Factory reads the turns from "${attr.messages}", which this row does not have as a list.`);
  let messages = turns.map((t) => (typeof t === "object" && t !== null ? (t as Record<string, unknown>) : {}));
  const roleOf = (m: Record<string, unknown>) => (attr.roleTag === null ? undefined : m[attr.roleTag]);
  const contentOf = (m: Record<string, unknown>) => text(attr.contentTag === null ? undefined : m[attr.contentTag]);
  const systemFirst = attr.systemTag !== null && messages.length > 0 && roleOf(messages[0]) === attr.systemTag;
  const system = systemFirst ? contentOf(messages[0]) : attr.system ? text(get(row, attr.system)) : "";
  if (systemFirst) messages = messages.slice(1);
  const aligned: LfMessage[] = [];
  let broken: string | undefined;
  const tools = attr.tools ? text(get(row, attr.tools)) : "";
  if (attr.formatting === "openai") {
    let responses: string[] = [];
    for (const m of messages) {
      let role = roleOf(m);
      let content = contentOf(m);
      if ((role === attr.assistantTag || role === attr.functionTag) && Array.isArray(m.tool_calls) && m.tool_calls.length > 0) {
        content = pythonJsonDumps(m.tool_calls.map((c) => (c as Record<string, unknown>)?.function));
        role = attr.functionTag;
      }
      if (role === attr.observationTag) {
        responses.push(content);
        continue;
      }
      if (responses.length > 0) {
        aligned.push({ role: "observation", content: responses.join("\n</tool_response>\n<tool_response>\n") });
        responses = [];
      }
      const mapped = tagRoles.get(role as string);
      if (mapped === undefined || mapped === "system") {
        broken = `role "${text(role)}" is not one of its tags`;
        break;
      }
      aligned.push({ role: mapped, content });
    }
    if (!broken) broken = alternation(aligned);
  } else {
    for (const [index, m] of messages.entries()) {
      const role = roleOf(m);
      const accepted = index % 2 === 0 ? [attr.userTag, attr.observationTag] : [attr.assistantTag, attr.functionTag];
      const mapped = tagRoles.get(role as string);
      if (!accepted.includes(role as string) || mapped === undefined || mapped === "system") {
        broken = `turn ${index + 1} has role "${text(role)}" where it wants ${accepted.filter(Boolean).join(" or ")} (Invalid role tag)`;
        break;
      }
      aligned.push({ role: mapped, content: contentOf(m) });
    }
  }
  if (!broken && aligned.length % 2 !== 0) broken = `it has ${aligned.length} turns after the system one; it wants pairs (Invalid message count)`;
  if (broken) return { prompt: [], response: [], system, tools, dropped: `LLaMA-Factory skips this row ("Skipping this abnormal example"): ${broken}.` };
  if (attr.formatting === "openai") return { prompt: aligned.slice(0, -1), response: aligned.slice(-1), ...openaiSystem(system, get(row, attr.tools)) };
  return { prompt: aligned.slice(0, -1), response: aligned.slice(-1), system, tools };
}

const shortSystemPrompt = "detailed thinking off";

/**
 * The OpenAI converter's ending: tools as JSON text, and the system prompt given Nemotron's
 * "detailed thinking off" (alone, or after a newline) unless the row has tools or says it already.
 */
function openaiSystem(given: string, rawTools: unknown): { system: string; tools: string; notes: string[] } {
  const tools = typeof rawTools === "object" && rawTools !== null ? pythonJsonDumps(rawTools) : text(rawTools);
  let system = given;
  if (!system) system = tools ? system : shortSystemPrompt;
  else if (!tools) system = system.includes("detailed thinking on") || system.includes(shortSystemPrompt) ? system : `${system}\n${shortSystemPrompt}`;
  else system += "\n";
  const notes =
    system !== given
      ? [
          `LLaMA-Factory's openai formatting changes this row's system prompt to ${JSON.stringify(system)} (its converter adds Nemotron's "${shortSystemPrompt}" to rows without tools, and a line break to rows with them).`,
        ]
      : [];
  return { system, tools, notes };
}

/** The OpenAI converter checks roles after merging tool results: user/observation at odd turns, assistant/function at even. */
function alternation(aligned: LfMessage[]): string | undefined {
  for (const [index, m] of aligned.entries()) {
    const accepted: LfRole[] = index % 2 === 0 ? ["user", "observation"] : ["assistant", "function"];
    if (!accepted.includes(m.role)) return `turn ${index + 1} is ${m.role} where it wants ${accepted.join(" or ")} (Invalid role tag)`;
  }
  return undefined;
}

/** A row as LLaMA-Factory's converter for its dataset_info.json entry reads it (supervised stage). */
export function convertRow(row: Record<string, unknown>, entry: DatasetInfoEntry): Converted {
  if (entry.ranking)
    throw new TrainerRefusedError(
      "This dataset_info.json entry is a ranking (preference) dataset: LLaMA-Factory trains it with stage rm or dpo, not sft; the panel shows supervised rows.",
    );
  const attr = datasetAttr(entry);
  return attr.formatting === "alpaca" ? alpaca(row, attr) : conversation(row, attr);
}
