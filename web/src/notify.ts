// A bridge to antd's context-aware message API, so non-component code (query caches) can show errors.
import type { App } from 'antd';

type MessageInstance = ReturnType<typeof App.useApp>['message'];

let messageApi: MessageInstance | null = null;
const recent = new Map<string, number>();

export function setMessageApi(api: MessageInstance | null): void {
  messageApi = api;
}

/** Shows an error message once; the same text within 2 s is shown only once. */
export function showError(text: string): void {
  const now = Date.now();
  if ((recent.get(text) ?? 0) > now - 2000) return;
  recent.set(text, now);
  void messageApi?.error(text);
}

export function showSuccess(text: string): void {
  void messageApi?.success(text);
}
