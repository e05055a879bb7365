import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'

// The control panel's UI: built into dist/, which main.go embeds. The
// window loads it from the Wails asset server under a strict CSP (no inline
// script or style), so the build emits only files.
export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK 2.40+ and WebView2 both run ES2022.
    target: 'es2022',
    // No inlined data: URLs for assets, and no module preload polyfill
    // (it is an inline script in some setups): plain files only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
})
