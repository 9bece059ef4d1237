import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * Rollup's default splitting leaves dozens of sub-kilobyte chunks in the browser's code: each one a request
 * whose headers weigh more than its body on a phone's first visit to the survey page. Small chunks are
 * merged into others. Browser build only: the server build keeps SvelteKit's own layout of its modules.
 */
function mergeSmallBrowserChunks(minBytes: number): Plugin {
  return {
    name: 'merge-small-browser-chunks',
    apply: 'build',
    outputOptions(options) {
      if (this.environment.config.consumer !== 'client') return null;
      return { ...options, experimentalMinChunkSize: minBytes };
    },
  };
}

export default defineConfig({
  plugins: [sveltekit(), mergeSmallBrowserChunks(8 * 1024)],
  server: {
    fs: { allow: ['..'] },
    // `npm run dev -w web` talks to an API started separately with `npm start`.
    proxy: { '/api': process.env.API_ORIGIN ?? 'http://localhost:3000' },
  },
});
