import { resolve } from "node:path";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";
import type { Plugin } from "vite";
import { contentSecurityPolicy } from "./src/main/content-security-policy";
import { env } from "./src/main/env";

const CSP_PLACEHOLDER = "__CREWDECK_CSP__";

/** Writes the CSP into the renderer's index.html, naming the server from CREWDECK_SERVER_URL. */
function contentSecurityPolicyPlugin(): Plugin {
  return {
    name: "crewdeck:content-security-policy",
    transformIndexHtml: {
      order: "pre",
      handler(html, context) {
        if (!html.includes(CSP_PLACEHOLDER)) {
          throw new Error(`src/renderer/index.html lost its ${CSP_PLACEHOLDER} placeholder`);
        }
        const policy = contentSecurityPolicy({
          serverOrigin: env.serverOrigin,
          dev: context.server !== undefined,
        });
        return html.replace(CSP_PLACEHOLDER, policy);
      },
    },
  };
}

export default defineConfig({
  main: {
    define: {
      __CREWDECK_CSP_SERVER_ORIGIN__: JSON.stringify(env.serverOrigin),
    },
  },
  preload: {
    build: {
      // Sandboxed preloads cannot be ES modules; the .cjs name keeps this "type": "module" package
      // from declaring it one.
      rolldownOptions: {
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    resolve: {
      // The desktop renderer is the web app: compile its source directly.
      alias: { "@crewdeck/web/app": resolve(import.meta.dirname, "../web/src/app.tsx") },
      dedupe: ["react", "react-dom"],
    },
    plugins: [react(), tailwindcss(), contentSecurityPolicyPlugin()],
  },
});
