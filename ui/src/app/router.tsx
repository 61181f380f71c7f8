import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { z } from 'zod';
import { Layout } from './Layout.tsx';
import { OverviewPage } from '../pages/overview/OverviewPage.tsx';

/**
 * The app's pages. The overview is in the first bundle; every other page is its own chunk,
 * loaded when first opened (the first screen stays small). Search parameters are validated here,
 * so a page receives typed filters and a hand-edited URL cannot break it.
 */
const root = createRootRoute({ component: Layout });

const overviewSearch = z.object({
  target: z.string().uuid().optional().catch(undefined),
  range: z.enum(['1h', '6h', '24h', '7d']).optional().catch(undefined),
});
const overview = createRoute({ getParentRoute: () => root, path: '/', validateSearch: (search) => overviewSearch.parse(search), component: OverviewPage });

const query = createRoute({
  getParentRoute: () => root,
  path: '/databases/$targetId/queries/$queryid',
  component: lazyRouteComponent(() => import('../pages/query/QueryPage.tsx'), 'QueryPage'),
});

const recommendationSearch = z.object({
  state: z.string().max(40).optional().catch(undefined),
  target: z.string().uuid().optional().catch(undefined),
  kind: z.string().max(40).optional().catch(undefined),
});
const recommendations = createRoute({
  getParentRoute: () => root,
  path: '/recommendations',
  validateSearch: (search) => recommendationSearch.parse(search),
  component: lazyRouteComponent(() => import('../pages/recommendations/RecommendationsPage.tsx'), 'RecommendationsPage'),
});

const recommendation = createRoute({
  getParentRoute: () => root,
  path: '/recommendations/$id',
  component: lazyRouteComponent(() => import('../pages/recommendations/RecommendationPage.tsx'), 'RecommendationPage'),
});

const changes = createRoute({
  getParentRoute: () => root,
  path: '/changes',
  component: lazyRouteComponent(() => import('../pages/changes/AppliedChangesPage.tsx'), 'AppliedChangesPage'),
});

const auditSearch = z.object({
  action: z.string().max(80).optional().catch(undefined),
  actor: z.string().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});
const audit = createRoute({
  getParentRoute: () => root,
  path: '/audit',
  validateSearch: (search) => auditSearch.parse(search),
  component: lazyRouteComponent(() => import('../pages/audit/AuditLogPage.tsx'), 'AuditLogPage'),
});

const settings = createRoute({
  getParentRoute: () => root,
  path: '/settings',
  component: lazyRouteComponent(() => import('../pages/settings/SettingsPage.tsx'), 'SettingsPage'),
});

const setup = createRoute({
  getParentRoute: () => root,
  path: '/setup',
  component: lazyRouteComponent(() => import('../pages/setup/SetupPage.tsx'), 'SetupPage'),
});

export const routeTree = root.addChildren([overview, query, recommendations, recommendation, changes, audit, settings, setup]);

export function makeRouter() {
  return createRouter({ routeTree, defaultPreload: 'intent' });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
