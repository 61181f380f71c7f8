import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';

/** Renders `ui` inside a router (the pages' Links need one), on the path `path`. */
export async function renderWithRouter(ui: () => ReactNode, path = '/') {
  const root = createRootRoute({ component: () => <>{ui()}</> });
  const router = createRouter({ routeTree: root, history: createMemoryHistory({ initialEntries: [path] }) });
  await router.load();
  // The pages' Links are typed for the app's router; this one only has to render them.
  return render(<RouterProvider router={router as never} />);
}
