import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/**
 * The page map of UI.md. `page` absent: the route exists and says it is not available yet. To add a
 * page, give its entry a `page` (lazy, so each page is its own chunk) and its labels in ja/en.json.
 */
export interface RouteEntry {
  path: string;
  /** i18n key of its navigation label (nav.*). */
  label: string;
  group: 'overview' | 'inventory' | 'parties' | 'requests' | 'outputs' | 'tools';
  /** In the navigation; detail routes (with :id) are reached from their lists. */
  nav: boolean;
  page?: LazyExoticComponent<ComponentType>;
}

export const GROUPS: RouteEntry['group'][] = ['overview', 'inventory', 'parties', 'requests', 'outputs', 'tools'];

export const ROUTES: RouteEntry[] = [
  { path: '/', label: 'dashboard', group: 'overview', nav: true, page: lazy(() => import('./pages/Dashboard')) },
  { path: '/activities', label: 'activities', group: 'inventory', nav: true, page: lazy(() => import('./pages/Activities')) },
  { path: '/activities/:id', label: 'activity', group: 'inventory', nav: false, page: lazy(() => import('./pages/ActivityDetail')) },
  { path: '/map', label: 'map', group: 'inventory', nav: true, page: lazy(() => import('./pages/DataMap')) },
  { path: '/taxonomy', label: 'taxonomy', group: 'inventory', nav: true, page: lazy(() => import('./pages/Taxonomy')) },
  { path: '/systems', label: 'systems', group: 'inventory', nav: true, page: lazy(() => import('./pages/Systems')) },
  { path: '/datasets/:id', label: 'dataset', group: 'inventory', nav: false, page: lazy(() => import('./pages/DatasetDetail')) },
  { path: '/processors', label: 'processors', group: 'parties', nav: true, page: lazy(() => import('./pages/Processors')) },
  { path: '/processors/:id', label: 'processor', group: 'parties', nav: false, page: lazy(() => import('./pages/ProcessorDetail')) },
  { path: '/audits', label: 'audits', group: 'parties', nav: true, page: lazy(() => import('./pages/AuditCalendar')) },
  { path: '/transfers', label: 'transfers', group: 'parties', nav: true, page: lazy(() => import('./pages/Transfers')) },
  { path: '/joint-use', label: 'jointUse', group: 'parties', nav: true, page: lazy(() => import('./pages/JointUse')) },
  { path: '/recipients', label: 'recipients', group: 'parties', nav: true, page: lazy(() => import('./pages/Recipients')) },
  { path: '/requests', label: 'requests', group: 'requests', nav: true, page: lazy(() => import('./pages/Requests')) },
  { path: '/requests/new', label: 'requestNew', group: 'requests', nav: false, page: lazy(() => import('./pages/RequestNew')) },
  { path: '/requests/:id', label: 'request', group: 'requests', nav: false, page: lazy(() => import('./pages/RequestDetail')) },
  { path: '/lookup', label: 'lookup', group: 'requests', nav: true, page: lazy(() => import('./pages/Lookup')) },
  { path: '/exports', label: 'exports', group: 'outputs', nav: true, page: lazy(() => import('./pages/Exports')) },
  { path: '/notice', label: 'notice', group: 'outputs', nav: true, page: lazy(() => import('./pages/Notice')) },
  { path: '/audit-log', label: 'auditLog', group: 'outputs', nav: true, page: lazy(() => import('./pages/AuditLog')) },
  { path: '/api', label: 'api', group: 'tools', nav: true, page: lazy(() => import('./pages/ApiExplorer')) },
  { path: '/settings', label: 'settings', group: 'tools', nav: true },
];
