import { z } from 'zod';

// zod compiles parsers with `new Function` when it may; the app's Content-Security-Policy has no
// 'unsafe-eval', so it is told not to try (the probe alone would log a CSP violation).
z.config({ jitless: true });
