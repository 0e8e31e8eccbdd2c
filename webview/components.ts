// The panel's own small component layer. @vscode/webview-ui-toolkit is deprecated upstream
// (January 2025); everything the panel draws goes through these functions, so replacing the
// toolkit touches this file only.
import { provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeDivider, vsCodeTag } from "@vscode/webview-ui-toolkit";

provideVSCodeDesignSystem().register(vsCodeBadge(), vsCodeButton(), vsCodeDivider(), vsCodeTag());

/** Creates an element whose text is set with textContent: dataset text is never parsed as HTML. */
export function textElement<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, className?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

export function badge(text: string): HTMLElement {
  return textElement("vscode-badge" as keyof HTMLElementTagNameMap, text) as HTMLElement;
}

export function tag(text: string): HTMLElement {
  return textElement("vscode-tag" as keyof HTMLElementTagNameMap, text) as HTMLElement;
}

export function divider(): HTMLElement {
  return document.createElement("vscode-divider");
}

export function button(text: string, onClick: () => void, className?: string): HTMLElement {
  const element = textElement("vscode-button" as keyof HTMLElementTagNameMap, text, className) as HTMLElement;
  element.setAttribute("appearance", "secondary");
  element.addEventListener("click", onClick);
  return element;
}
