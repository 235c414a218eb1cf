import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev:web`: the UI with hot reload, the API of a Kiroku already running (npm start).
const kiroku = process.env.KIROKU_URL ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/graphql', '/ui-config.json', '/dev/token', '^/exports/'].map((p) => [p, { target: kiroku, changeOrigin: true }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // GraphiQL's modules start with React Compiler's "use no memo"; bundling them is harmless and the warning is noise.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        // Libraries change less often than pages: their chunk stays cached across UI releases.
        // Whole package names: GraphiQL's own react-* helpers stay in the API page's chunk.
        codeSplitting: { groups: [{ name: 'vendor', test: /node_modules[\\/](react|react-dom|react-router|antd|@ant-design|rc-[^\\/]+|@rc-component|urql|@urql|i18next|react-i18next|dayjs)[\\/]/ }] },
      },
    },
  },
});
