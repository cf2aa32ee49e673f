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
