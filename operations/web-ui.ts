// Links into the Temporal Web UI, so every line the ops scripts print can be opened in a browser.
// The dev server's UI is on http://localhost:8233; a self-hosted or Cloud UI is set with
// TEMPORAL_UI_URL (for Temporal Cloud: https://cloud.temporal.io).

export const DEFAULT_UI_URL = 'http://localhost:8233';

export function uiBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.TEMPORAL_UI_URL?.trim() || DEFAULT_UI_URL).replace(/\/+$/, '');
}

/** The page of one workflow (its latest run). */
export function workflowUrl(base: string, namespace: string, workflowId: string): string {
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The workflow list filtered by a List Filter query (the UI's `?query=` parameter). */
export function workflowListUrl(base: string, namespace: string, query: string): string {
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}
