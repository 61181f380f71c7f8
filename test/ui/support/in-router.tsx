import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';

/**
 * Renders `children` inside a router of their own (memory history), for components that hold
 * links. The router's own routes are not needed: a link renders its href from its pattern and
 * params. (The pages' Links are typed for the app's router; this one only has to render them.)
 */
export function InRouter({ children }: { children: ReactNode }) {
  const root = createRootRoute({ component: () => <>{children}</> });
  const router = createRouter({ routeTree: root, history: createMemoryHistory({ initialEntries: ['/'] }) });
  return <RouterProvider router={router as never} />;
}

/** Renders `ui` inside a router on `path`, once the router has loaded. */
export async function renderWithRouter(ui: () => ReactNode, path = '/') {
  const root = createRootRoute({ component: () => <>{ui()}</> });
  const router = createRouter({ routeTree: root, history: createMemoryHistory({ initialEntries: [path] }) });
  await router.load();
  return render(<RouterProvider router={router as never} />);
}
