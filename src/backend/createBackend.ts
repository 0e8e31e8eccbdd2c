import { endpointList, isUrlList, ModelBackend } from "../core/model/backend";
import { HttpBackend } from "./httpBackend";
import { LlamaWorkerBackend } from "./llamaBackend";
import { MultiBackend } from "./multiBackend";

export interface BackendSettings {
  /** A .gguf file, or an OpenAI-compatible server's URL (several, separated by commas or blanks). */
  model: string;
  /** The server's model name (HTTP only). */
  serverModel?: string;
  apiKey?: string;
  contextSize: number;
  parallel: number;
  gpu: "auto" | false;
  stallTimeoutMs: number;
  /** The longest one request may take in all, and the setting or flag that sets it (named when it is reached). */
  timeoutMs: number;
  timeoutSetting: string;
  log?: (line: string) => void;
}

/** The one place that picks a backend: URLs are servers, anything else a GGUF file. */
export function createBackend(outDir: string, settings: BackendSettings): ModelBackend {
  const deadline = { timeoutMs: settings.timeoutMs, setting: settings.timeoutSetting };
  if (isUrlList(settings.model)) {
    const servers = endpointList(settings.model).map(
      (url) =>
        new HttpBackend({
          url,
          model: settings.serverModel,
          apiKey: settings.apiKey,
          parallel: settings.parallel,
          stallTimeoutMs: settings.stallTimeoutMs,
          deadline,
          log: settings.log,
        }),
    );
    return servers.length === 1 ? servers[0] : new MultiBackend(servers);
  }
  return new LlamaWorkerBackend(outDir, {
    modelPath: settings.model,
    contextSize: settings.contextSize,
    sequences: settings.parallel,
    gpu: settings.gpu,
    stallTimeoutMs: settings.stallTimeoutMs,
    deadline,
    log: settings.log,
  });
}
