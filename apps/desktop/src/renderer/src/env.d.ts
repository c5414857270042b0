import type { CrewdeckBridge } from "../../shared/ipc";

declare global {
  interface Window {
    /** Exposed by src/preload/index.ts. */
    readonly crewdeck: CrewdeckBridge;
  }
}
