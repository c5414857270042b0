import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API server during development (apps/server); in production it serves this build itself.
const serverUrl = process.env.CREWDECK_SERVER_URL ?? "http://localhost:3001";

export default defineConfig({
  plugins: [react(), tailwindcss()],
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
    // Each route is its own chunk (see src/routes/router.tsx); warn when a shared one grows past this.
    chunkSizeWarningLimit: 600,
  },
});
