import "server-only";
import NextAuth from "next-auth";
import type { NextAuthConfig } from "next-auth";
import { buildAuthConfig } from "./config";

let config: NextAuthConfig | null = null;

/**
 * The app's next-auth instance. The configuration is built on first use (not at import), so importing this module
 * neither reads nor creates the session secret; after that it is reused.
 */
export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(() => (config ??= buildAuthConfig()));
