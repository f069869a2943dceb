/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and argon2 a native addon: load both from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
