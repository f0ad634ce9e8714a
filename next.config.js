/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Node libraries loaded at run time instead of bundled: PGlite reads its WebAssembly and data files from
  // its own package folder.
  serverExternalPackages: ['postgres', 'pino', '@electric-sql/pglite'],
  // forbidden() and unauthorized() from next/navigation: the account and back-office layouts answer 401 and
  // 403 with app/unauthorized.tsx and app/forbidden.tsx.
  experimental: { authInterrupts: true },
};

export default nextConfig;
