-- GENERATED FILE, do not edit. Regenerate with `npm run build:plv8` (scripts/build-plv8.ts)
-- from the entry points in plv8/entry-points.ts. Installed by sidecar/advisor/install-plv8.ts
-- when the server has plv8.

create or replace function optischema.engine_server_facts()
  returns jsonb
  language plv8
  stable
as $plv8$
var optischema_engine = (() => {
  var __defProp = Object.defineProperty;
  var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
  var __getOwnPropNames = Object.getOwnPropertyNames;
  var __hasOwnProp = Object.prototype.hasOwnProperty;
  var __export = (target, all) => {
    for (var name in all)
      __defProp(target, name, { get: all[name], enumerable: true });
  };
  var __copyProps = (to, from, except, desc) => {
    if (from && typeof from === "object" || typeof from === "function") {
      for (let key of __getOwnPropNames(from))
        if (!__hasOwnProp.call(to, key) && key !== except)
          __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
    }
    return to;
  };
  var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

  // plv8/entry:engine_server_facts.ts
  var entry_engine_server_facts_exports = {};
  __export(entry_engine_server_facts_exports, {
    main: () => main
  });

  // plv8/host/plv8-host.ts
  function runStepSync(step, execute) {
    let result = step.next();
    while (!result.done) {
      const request = result.value;
      let rows;
      try {
        rows = execute(request.sql, request.params ?? []);
      } catch (error) {
        result = step.throw(error);
        continue;
      }
      result = step.next(rows);
    }
    return result.value;
  }
  var FETCH_BATCH = 1e3;
  function executeOneStatement(plv8, sql, params) {
    const plan = plv8.prepare(sql);
    try {
      const cursor = plan.cursor(params);
      try {
        const rows = [];
        for (; ; ) {
          const batch = cursor.fetch(FETCH_BATCH);
          if (batch === void 0 || batch.length === 0) break;
          rows.push(...batch);
          if (batch.length < FETCH_BATCH) break;
        }
        return rows;
      } finally {
        cursor.close();
      }
    } finally {
      plan.free();
    }
  }
  function runInPlv8(plv8, step) {
    return runStepSync(step, (sql, params) => executeOneStatement(plv8, sql, params));
  }

  // plv8/engine/server-facts.ts
  var SERVER_FACTS_SQL = `
select current_setting('server_version_num')::int4 as version_num,
       exists (select from pg_available_extensions where name = 'hypopg') as hypopg_available,
       exists (select from pg_available_extensions where name = 'plv8') as plv8_available`;
  function* serverFacts() {
    const rows = yield { sql: SERVER_FACTS_SQL, params: [] };
    return toServerFacts(rows[0]);
  }
  function toServerFacts(row) {
    if (row === void 0) throw new Error("server facts: the query returned no row");
    return {
      version: Number(row.version_num),
      hypopg: row.hypopg_available === true,
      plv8: row.plv8_available === true
    };
  }

  // plv8/entry:engine_server_facts.ts
  function main(plv8, args) {
    return runInPlv8(plv8, serverFacts(...args));
  }
  return __toCommonJS(entry_engine_server_facts_exports);
})();
return optischema_engine.main(plv8, []);
$plv8$;
