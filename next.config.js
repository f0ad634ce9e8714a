/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // postgres.js and pino are Node libraries: load them at run time instead of bundling them.
  serverExternalPackages: ['postgres', 'pino'],
};

export default nextConfig;
