/**
 * The Content-Security-Policy of every studio page: our own origin only; wasm for MediaPipe;
 * blob workers for inference; camera streams; no plugins, no framing, no form posts.
 */
export function contentSecurityPolicy(options: { allowWebSocket: boolean }): string {
  const connect = ["'self'", 'blob:', 'data:'];
  if (options.allowWebSocket) connect.push('ws://127.0.0.1:*', 'ws://localhost:*');
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
