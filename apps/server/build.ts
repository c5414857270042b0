// Compiles the server, the workspace packages and their dependencies into ES modules that run with plain
// Node, no TypeScript to load at start: dist/index.js (`pnpm start`) and dist/worker.js (`pnpm worker`).
// `pnpm dev` keeps tsx for reload.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(here, "dist");

/**
 * Modules that find files beside themselves (the migrations, the repository root) do it from
 * `import.meta.url`; in the bundle that would be dist/index.js or dist/worker.js. Each such module keeps its own URL,
 * written relative to the bundle so that the checkout can move.
 */
const ownModuleUrl: Plugin = {
  name: "own-module-url",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      const relative = path.relative(outdir, args.path).split(path.sep).join("/");
      const url = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
      return { contents: source.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

await build({
  entryPoints: { index: path.join(here, "src/index.ts"), worker: path.join(here, "src/worker.ts") },
  outdir,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  // Libraries drop their development-only checks; names stay (errors are recognised by their class names).
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  minifyWhitespace: true,
  minifySyntax: true,
  // The embedded database's driver loads a native addon for the platform it runs on.
  external: ["@libsql/client", "libsql"],
  // CommonJS dependencies inside an ES module still call require for Node's own modules.
  banner: {
    js: 'import { createRequire as __crewdeckCreateRequire } from "node:module"; const require = __crewdeckCreateRequire(import.meta.url);',
  },
  plugins: [ownModuleUrl],
  logLevel: "warning",
});
for (const name of ["index", "worker"]) {
  const file = path.join(outdir, `${name}.js`);
  console.log(`Built ${path.relative(process.cwd(), file)} (${pathToFileURL(file).pathname})`);
}
