import './app/zod-config.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from '@tanstack/react-router';
import { Provider } from 'urql';
import { makeRouter } from './app/router.tsx';
import { createApiClient } from './graphql/client.ts';
import './styles.css';

const client = createApiClient();
const router = makeRouter();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Provider value={client}>
      <RouterProvider router={router} />
    </Provider>
  </StrictMode>,
);
