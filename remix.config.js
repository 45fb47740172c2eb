/** Remix 2, classic compiler (see docs/decisions/001-stack.md). */
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // The app is served by our own Express server (server.ts), which also hosts socket.io. It is
  // bundled with the app from server-entry.ts into build/index.js: one module graph per process
  // (decision 032); `npm start` runs that file with node.
  server: "server-entry.ts",
  serverBuildPath: "build/index.js",
  assetsBuildDirectory: "public/build",
  publicPath: "/build/",
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true },
};
