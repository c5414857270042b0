import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { app, BrowserWindow, type IpcMainInvokeEvent, ipcMain, session, shell } from "electron";
import { IpcChannel } from "../shared/ipc";
import { env } from "./env";
import {
  decideNavigation,
  decideWindowOpen,
  isExternalUrl,
  isTrustedUrl,
  type NavigationPolicy,
} from "./navigation";
import { createWindowOptions } from "./window-options";

// Set by electron.vite.config.ts: the server origin that the renderer's CSP lets it fetch from.
declare const __CREWDECK_CSP_SERVER_ORIGIN__: string;

const appUrl =
  !app.isPackaged && env.rendererDevUrl
    ? env.rendererDevUrl
    : pathToFileURL(join(import.meta.dirname, "../renderer/index.html")).href;

const policy: NavigationPolicy = { appUrl, serverOrigin: env.serverOrigin };

function openExternally(url: string): void {
  if (!isExternalUrl(url)) return;
  shell.openExternal(url).catch((error: unknown) => {
    console.error(`Could not open ${url} in the browser:`, error);
  });
}

function assertTrustedSender(event: IpcMainInvokeEvent): void {
  const url = event.senderFrame?.url;
  if (!url || !isTrustedUrl(url, policy)) {
    throw new Error(`Refused IPC from untrusted frame: ${url ?? "unknown"}`);
  }
}

function registerIpc(): void {
  ipcMain.handle(IpcChannel.getServerUrl, (event) => {
    assertTrustedSender(event);
    return env.serverUrl;
  });
  ipcMain.handle(IpcChannel.openExternal, async (event, url: unknown) => {
    assertTrustedSender(event);
    if (typeof url !== "string" || !isExternalUrl(url)) {
      throw new Error("openExternal accepts http(s) and mailto URLs only");
    }
    await shell.openExternal(url);
  });
}

// Every web contents, including any the app did not create itself, gets the same rules.
app.on("web-contents-created", (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    if (decideWindowOpen(url).openExternally) openExternally(url);
    return { action: "deny" };
  });

  const guard = (event: Electron.Event<{ url: string }>): void => {
    const decision = decideNavigation(event.url, policy);
    if (decision.action === "allow") return;
    event.preventDefault();
    if (decision.openExternally) openExternally(event.url);
  };
  contents.on("will-navigate", guard);
  contents.on("will-redirect", guard);
  contents.on("will-attach-webview", (event) => event.preventDefault());
});

function createWindow(): void {
  const window = new BrowserWindow(createWindowOptions(join(import.meta.dirname, "../preload/index.cjs")));
  window.on("ready-to-show", () => window.show());
  void window.loadURL(appUrl);
}

app.whenReady().then(() => {
  if (env.serverOrigin !== __CREWDECK_CSP_SERVER_ORIGIN__) {
    console.warn(
      `CREWDECK_SERVER_URL points at ${env.serverOrigin}, but this build's CSP only allows ` +
        `${__CREWDECK_CSP_SERVER_ORIGIN__}; rebuild with the same CREWDECK_SERVER_URL.`,
    );
  }
  // The UI needs no camera, microphone, notifications or geolocation yet.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  registerIpc();
  createWindow();

  app.on("activate", () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on("window-all-closed", () => {
  if (process.platform !== "darwin") app.quit();
});
