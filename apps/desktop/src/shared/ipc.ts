// The contract between the preload bridge and the main process; neither side imports the other.

export const IpcChannel = {
  getServerUrl: "crewdeck:get-server-url",
  openExternal: "crewdeck:open-external",
} as const;

/** What the renderer sees as `window.crewdeck`. */
export interface CrewdeckBridge {
  /** Base URL of the Crewdeck server this app talks to (no trailing slash). */
  getServerUrl(): Promise<string>;
  /** Opens an http(s) or mailto link in the user's browser; other URLs are refused. */
  openExternal(url: string): Promise<void>;
}
