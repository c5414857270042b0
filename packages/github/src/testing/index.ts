// Test helpers for anything that talks to GitHub: a local fake GitHub (web, REST API and git over HTTP).
export * from "./fake-github";
export * from "./world";
