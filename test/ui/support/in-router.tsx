import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import type { ReactNode } from 'react';

/**
 * Renders `ui` inside a router of its own (memory history), for components that hold links.
 * The router's own routes are not needed: a link renders its href from its pattern and params.
 */
export function InRouter({ children }: { children: ReactNode }) {
  const root = createRootRoute({ component: () => <>{children}</> });
  const router = createRouter({ routeTree: root, history: createMemoryHistory({ initialEntries: ['/'] }) });
  return <RouterProvider router={router as never} />;
}
