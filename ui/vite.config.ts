import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web app builds to ui/dist, which the sidecar's HTTP server serves beside the API.
// `npm run dev:ui` proxies /api to a running `optischema start` on :3000.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
