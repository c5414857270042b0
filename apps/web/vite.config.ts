import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API server during development (apps/server); in production it serves this build itself.
const serverUrl = "http://localhost:3001";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api": serverUrl,
      "/trpc": serverUrl,
      "/health": serverUrl,
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
});
