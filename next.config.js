/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM, argon2 a native addon and pdfkit reads its font metrics from its own folder: load them from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "pdfkit"],
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
