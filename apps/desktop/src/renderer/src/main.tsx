import { App } from "@crewdeck/web/app";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

const root = document.getElementById("root");
if (!root) throw new Error("Missing #root element in index.html");

const serverUrl = await window.crewdeck.getServerUrl();

createRoot(root).render(
  <StrictMode>
    <App serverUrl={serverUrl} />
  </StrictMode>,
);
