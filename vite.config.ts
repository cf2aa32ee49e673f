import path from 'node:path';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer: three pages (control window, program output, phone panel), served from our own origin with
// everything they load (MediaPipe wasm, models, decoders) under public/ — nothing from a CDN.
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [react()],
  publicDir: path.resolve(import.meta.dirname, 'renderer/public'),
  // The program page's test probe (window.__harvestCompositor, the WebGL context) is for tests and the
  // bench: `npm run build` keeps it, `npm run dist` (HARVEST_BUILD=production) compiles it out.
  define: { __HARVEST_TEST_PROBE__: JSON.stringify(process.env.HARVEST_BUILD !== 'production') },
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: {
        index: path.resolve(import.meta.dirname, 'renderer/index.html'),
        program: path.resolve(import.meta.dirname, 'renderer/program.html'),
        // The phone panel, served only by the LAN listener (electron/services/lan/).
        panel: path.resolve(import.meta.dirname, 'renderer/panel.html'),
      },
    },
  },
  server: { host: '127.0.0.1' },
});
