import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as oniguruma from "vscode-oniguruma";
import { INITIAL, IGrammar, Registry, parseRawGrammar } from "vscode-textmate";
import { repoRoot } from "../launch/paths";

/**
 * Loads VS Code's own JSON Lines grammar (shipped by the `tm-grammars` package, copied from
 * microsoft/vscode) with our injection grammars, through the same TextMate engine VS Code uses.
 */
const root = repoRoot;
const injections = ["instruct-studio.keys.injection", "instruct-studio.strings.injection"];
const grammarFiles: Record<string, string> = {
  "source.json.lines": join(root, "node_modules", "tm-grammars", "grammars", "jsonl.json"),
  "instruct-studio.keys.injection": join(root, "syntaxes", "instruct-jsonl-keys.injection.tmLanguage.json"),
  "instruct-studio.strings.injection": join(root, "syntaxes", "instruct-jsonl-strings.injection.tmLanguage.json"),
};

const registries = new Map<boolean, Registry>();
let onigLoaded: Promise<void> | undefined;

function loadOniguruma(): Promise<void> {
  const wasm = readFileSync(join(root, "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
  return oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
}

async function createRegistry(withInjections: boolean): Promise<Registry> {
  await (onigLoaded ??= loadOniguruma());
  return new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      const file = grammarFiles[scopeName];
      return file ? parseRawGrammar(readFileSync(file, "utf8"), file) : null;
    },
    getInjections: (scopeName) => (withInjections && scopeName === "source.json.lines" ? injections : undefined),
  });
}

/** VS Code's JSON Lines grammar with our injections, or bare (the benchmark's baseline). */
export async function loadJsonlGrammar(withInjections = true): Promise<IGrammar> {
  if (!registries.has(withInjections)) registries.set(withInjections, await createRegistry(withInjections));
  const grammar = await registries.get(withInjections)!.loadGrammar("source.json.lines");
  if (!grammar) throw new Error("JSON Lines grammar did not load");
  return grammar;
}

export interface ScopedText {
  text: string;
  scopes: string[];
}

export function tokenizeLine(grammar: IGrammar, line: string): ScopedText[] {
  const { tokens } = grammar.tokenizeLine(line, INITIAL);
  return tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}

/** The scopes of the first token whose text is exactly `text`. */
export function scopesOf(tokens: ScopedText[], text: string): string[] {
  const token = tokens.find((t) => t.text === text);
  if (!token) throw new Error(`no token "${text}" in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return token.scopes;
}
