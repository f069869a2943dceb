import createNextIntlPlugin from "next-intl/plugin";

// next-intl: the request's language and catalogs come from i18n/request.ts (no locale in the URL; docs/I18N.md).
const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM, argon2 a native addon and pdfkit reads its font metrics from its own folder: load them from node_modules at run time;
  // libxml2-wasm (the B2MML schema check) runs in a worker thread that loads it from node_modules.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "pdfkit", "libxml2-wasm"],
  poweredByHeader: false,
  typedRoutes: false,
  // Pages get their security headers from proxy.ts and API routes from server/api/route-answers.ts; Next's own static
  // files (which neither sees) get the ones that matter for them.
  async headers() {
    const staticHeaders = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Referrer-Policy", value: "same-origin" },
    ];
    return [
      { source: "/_next/static/:path*", headers: staticHeaders },
      { source: "/favicon.ico", headers: staticHeaders },
    ];
  },
};
export default withNextIntl(nextConfig);
