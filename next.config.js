/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Node libraries loaded at run time instead of bundled: PGlite reads its WebAssembly and data files from
  // its own package folder.
  serverExternalPackages: ['postgres', 'pino', '@electric-sql/pglite'],
};

export default nextConfig;
