/**
 * Loaded with `node --import` in a child process: appends the URL of every module the process
 * resolves to the file named by OPTISCHEMA_MODULE_TRACE, so a test can tell what a command loaded.
 */
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.OPTISCHEMA_MODULE_TRACE;
if (file) {
  registerHooks({
    resolve(specifier, context, next) {
      const resolved = next(specifier, context);
      appendFileSync(file, `${resolved.url}\n`);
      return resolved;
    },
  });
}
