import type http from 'node:http';

/**
 * The web app's Content-Security-Policy: its own scripts, styles and sockets only. No inline
 * script or style markup is needed (React, CodeMirror and uPlot set styles through the CSSOM,
 * which the policy allows), so a value injected into a page cannot run. frame-ancestors 'none'
 * keeps the app out of other sites' frames (clickjacking an Apply button).
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every answer: the API's JSON and the app's files alike. */
export function setCommonSecurityHeaders(response: http.ServerResponse): void {
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader('cross-origin-opener-policy', 'same-origin');
}

/** Headers of the web app's own pages and files (not Ruru's, which needs inline scripts). */
export function setWebAppSecurityHeaders(response: http.ServerResponse): void {
  response.setHeader('content-security-policy', WEB_APP_CSP);
}

/**
 * With sign-in on, a WebSocket upgrade must come from this server's own origin: browsers send
 * Origin on every handshake, and a foreign page must not open a socket with a token it
 * obtained elsewhere. Programs (the CLI, a Node client) send no Origin and are let through.
 */
export function foreignOrigin(headers: http.IncomingHttpHeaders, allowed: readonly string[]): string | null {
  const origin = headers.origin;
  if (origin === undefined) return null;
  const host = headers.host?.toLowerCase();
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return `refused: Origin "${origin}" is not a URL`;
  }
  if (host && parsed.host.toLowerCase() === host) return null;
  if (allowed.includes(parsed.origin)) return null;
  return `refused: Origin "${origin}" is not this server's (set OPTISCHEMA_ALLOWED_ORIGINS to admit it)`;
}
