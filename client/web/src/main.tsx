import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadUiConfig } from './config';
import { initI18n } from './i18n';
import { oidcManager } from './auth/session';

// Measured by the browser suite: first load of a page until its data is shown.
performance.mark('kiroku-start');
initI18n();
const config = await loadUiConfig();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App config={config} manager={oidcManager(config)} />
  </StrictMode>,
);
