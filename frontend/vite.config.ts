import { defineConfig } from 'vitest/config'
import type { Plugin } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

// The window's Content-Security-Policy: the page's own scripts, styles and
// images only; no inline script or style, no plugins. It is a meta element
// of the built index.html (Wails v2 on Linux does not pass response headers
// to WebKit); under `vite dev` it is left out, since hot reload injects
// inline styles. The Wails runtime's scripts are files of the same origin.
const contentSecurityPolicy = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ')

function csp(): Plugin {
  return {
    name: 'clientportal-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy }, injectTo: 'head-prepend' },
    ],
  }
}

// The control panel's UI: built into dist/, which main.go embeds. The
// build emits only files (no inline script or style), for the CSP below.
export default defineConfig({
  plugins: [csp(), svelte()],
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
    // The screens' tests render whole screens in jsdom: on a busy 2-core
    // machine one takes several seconds, over Vitest's default of 5.
    testTimeout: 30_000,
  },
})
