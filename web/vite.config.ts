import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    fs: { allow: ['..'] },
    // `npm run dev -w web` talks to an API started separately with `npm start`.
    proxy: { '/api': process.env.API_ORIGIN ?? 'http://localhost:3000' },
  },
});
