import type { TrainingPanelView, TrainingReport } from "../src/protocol/webview";
import { badge, divider, tag, textElement } from "./components";

/** More token elements than this and the rest of the rendering is shown as plain text. */
const maxTokenElements = 40_000;

/**
 * Whitespace made visible as the editor shows it: · for spaces, → for tabs, ↵ before line breaks.
 * A zero-width space follows each · and →: they stand for spaces, so a line may break after them
 * (else a paragraph is one unbreakable word, cut wherever the panel's edge falls: "Kore an").
 */
export function visibleWhitespace(text: string): string {
  return text
    .replace(/ /g, "·\u200b")
    .replace(/\t/g, "→\u200b")
    .replace(/\r?\n/g, (m) => `↵${m}`);
}

const formatNumber = (n: number) => n.toLocaleString("en-US");

function figures(view: TrainingPanelView): { element: HTMLElement; text: string; overLimit: boolean } {
  const approx = view.exact ? "" : "≈";
  const total = view.tokens.length;
  const overLimit = view.sequenceLen !== undefined && total > view.sequenceLen;
  const limit = view.sequenceLen ? ` / ${formatNumber(view.sequenceLen)} ${view.limitName ?? "sequence_len"}` : "";
  const text = `${approx}${formatNumber(total)} tokens${limit} · ${approx}${formatNumber(view.trainableTokens)} trained · ${approx}${formatNumber(total - view.trainableTokens)} masked`;
  const element = textElement("p", text, overLimit ? "figures over-limit" : "figures");
  if (overLimit) element.setAttribute("role", "alert");
  return { element, text, overLimit };
}

function tokenSpans(view: TrainingPanelView): HTMLElement {
  const container = textElement("div", "", "tokens");
  const shown = view.tokens.slice(0, maxTokenElements);
  const fragment = document.createDocumentFragment();
  shown.forEach((token, i) => {
    const role = view.messages[token.message]?.role ?? "";
    const classes = ["t", i % 2 ? "odd" : "even", token.trained ? "trained" : "masked", token.special ? "special" : ""].join(" ").trim();
    const span = textElement("span", visibleWhitespace(view.text.slice(token.start, token.end)), classes);
    span.title = `token ${i + 1} · id ${token.id} · ${token.trained ? "trained" : "masked"}${role ? ` · ${role}` : ""}`;
    fragment.append(span);
  });
  container.append(fragment);
  if (view.tokens.length > shown.length) {
    const rest = view.text.slice(shown[shown.length - 1].end);
    container.append(textElement("span", visibleWhitespace(rest), "untokenized"));
    container.append(textElement("p", `Token boundaries drawn for the first ${formatNumber(maxTokenElements)} tokens.`, "note"));
  }
  return container;
}

/** Draws the training view of a row; returns what the test report needs. */
export function renderTraining(view: TrainingPanelView): { element: HTMLElement; report: TrainingReport } {
  const section = textElement("section", "", "training");
  const sources = textElement("div", "", "sources");
  sources.append(
    textElement("span", `Trainer: ${view.trainerLabel}`),
    textElement("span", `Template: ${view.templateLabel}`),
    textElement("span", `Tokenizer: ${view.tokenizerLabel}`),
  );
  if (!view.exact) sources.append(tag("approximate counts"));
  const figure = figures(view);
  const perMessage = textElement("div", "", "messages");
  for (const message of view.messages) {
    const item = textElement("span", "", "message-count");
    item.append(textElement("span", message.role), badge(formatNumber(message.tokens)));
    perMessage.append(item);
  }
  const legend = textElement("div", "", "legend");
  legend.append(
    textElement("span", "trained", "t trained"),
    textElement("span", "masked", "t masked"),
    textElement("span", "special token", "t special masked"),
  );
  section.append(textElement("h2", "What the trainer sees"), sources, textElement("p", view.mapping, "mapping"), figure.element, perMessage);
  for (const warning of view.warnings) section.append(textElement("p", `⚠ ${warning}`, "warning"));
  section.append(legend, tokenSpans(view), divider());
  return {
    element: section,
    report: {
      tokenElements: section.querySelectorAll(".tokens .t").length,
      trainedElements: section.querySelectorAll(".tokens .t.trained").length,
      firstTokenTitle: section.querySelector<HTMLElement>(".tokens .t")?.title ?? "",
      figures: figure.text,
      overLimit: figure.overLimit,
      approximate: !view.exact,
      warnings: view.warnings,
    },
  };
}

export function renderTrainingError(message: string): { element: HTMLElement; report: TrainingReport } {
  const section = textElement("section", "", "training");
  section.append(textElement("h2", "What the trainer sees"), textElement("p", message, "training-error"), divider());
  return {
    element: section,
    report: { tokenElements: 0, trainedElements: 0, firstTokenTitle: "", figures: "", overLimit: false, approximate: false, warnings: [], error: message },
  };
}
