// Vite build of the Gridwork web app. Root is web/, output web/dist; /api is proxied to the server in dev.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.GRIDWORK_API ?? 'http://127.0.0.1:3000';

/**
 * Writes shell-assets.json: every script and style of this build. The service worker (web/public/sw.js) caches them
 * all at install, so a page whose lazy chunk was never opened online, or was loaded before the worker took control,
 * still opens offline.
 */
function shellAssetList(): Plugin {
  return {
    name: 'gridwork-shell-assets',
    apply: 'build',
    generateBundle(_options, bundle) {
      const assets = Object.keys(bundle)
        .filter((file) => /^assets\/.+\.(js|css)$/.test(file))
        .sort()
        .map((file) => `/${file}`);
      this.emitFile({ type: 'asset', fileName: 'shell-assets.json', source: JSON.stringify({ assets }) });
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), shellAssetList()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // long-lived vendor chunks, so a new release downloads only the app's own code
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/, priority: 3 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|@emotion|dayjs)[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules[\\/](?!maplibre-gl|echarts|zrender)/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
});
