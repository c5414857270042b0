// Runs sandboxed (electron renderer modules only); the page sees nothing but `window.crewdeck`.
import { contextBridge, ipcRenderer } from "electron";
import { type CrewdeckBridge, IpcChannel } from "../shared/ipc";

const bridge: CrewdeckBridge = {
  getServerUrl: () => ipcRenderer.invoke(IpcChannel.getServerUrl),
  openExternal: (url) => ipcRenderer.invoke(IpcChannel.openExternal, url),
};

contextBridge.exposeInMainWorld("crewdeck", bridge);
