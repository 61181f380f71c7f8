-- GENERATED FILE, do not edit. Regenerate with `npm run build:plv8` (scripts/build-plv8.ts)
-- from the entry points in plv8/entry-points.ts. Installed by sidecar/advisor/install-plv8.ts
-- when the server has plv8.

create or replace function optischema.engine_server_facts()
  returns jsonb
  language plv8
  stable
  set search_path = pg_catalog, pg_temp
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

  // plv8/engine/statement-text.ts
  var StatementTextError = class extends Error {
  };
  function splitStatements(source) {
    const out = [];
    let start = 0;
    let first;
    let hasParameters = false;
    const finish = (end) => {
      if (first) {
        const firstKeyword = first.kind === "word" ? asciiLower(source.slice(first.start, first.end)) : source[first.start] === "(" ? "(" : "";
        out.push({ text: trimSpace(source.slice(start, end)), hasParameters, firstKeyword });
      }
      first = void 0;
      hasParameters = false;
    };
    for (const token of scan(source)) {
      if (token.kind === "semicolon") {
        finish(token.start);
        start = token.end;
      } else if (token.kind !== "space" && token.kind !== "comment") {
        first ?? (first = token);
        if (token.kind === "parameter") hasParameters = true;
      }
    }
    finish(source.length);
    return out;
  }
  var QUOTE = 39;
  var DOUBLE_QUOTE = 34;
  var DOLLAR = 36;
  var BACKSLASH = 92;
  var isSpace = (c) => c === 32 || c >= 9 && c <= 13;
  var isNewline = (c) => c === 10 || c === 13;
  var isDigit = (c) => c >= 48 && c <= 57;
  var isIdentStart = (c) => c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 95 || c >= 128;
  var isIdentCont = (c) => isIdentStart(c) || isDigit(c) || c === DOLLAR;
  var isTagCont = (c) => isIdentStart(c) || isDigit(c);
  function scan(source) {
    if (source.includes("\0")) throw new StatementTextError("the text holds a NUL character, which PostgreSQL cannot receive");
    const tokens = [];
    const at = (i2) => source.charCodeAt(i2);
    let i = 0;
    while (i < source.length) {
      const c = at(i);
      const start = i;
      let kind;
      if (isSpace(c)) {
        kind = "space";
        while (isSpace(at(i))) i++;
      } else if (source.startsWith("--", i)) {
        kind = "comment";
        i = lineCommentEnd(source, i);
      } else if (source.startsWith("/*", i)) {
        kind = "comment";
        i = blockCommentEnd(source, i);
      } else if ((c === 69 || c === 101) && at(i + 1) === QUOTE) {
        kind = "string";
        i = stringEnd(source, i + 1, true);
      } else if (c === QUOTE) {
        kind = "string";
        i = stringEnd(source, i, false);
      } else if (c === DOUBLE_QUOTE) {
        kind = "quoted-identifier";
        i = quotedIdentifierEnd(source, i);
      } else if (isIdentStart(c)) {
        kind = "word";
        while (isIdentCont(at(i))) i++;
      } else if (isDigit(c) || c === 46 && isDigit(at(i + 1))) {
        kind = "number";
        i = numberEnd(source, i);
      } else if (c === DOLLAR && isDigit(at(i + 1))) {
        kind = "parameter";
        i++;
        while (isDigit(at(i))) i++;
      } else if (c === DOLLAR) {
        const close = dollarQuoteEnd(source, i);
        kind = close < 0 ? "other" : "string";
        i = close < 0 ? i + 1 : close;
      } else {
        kind = c === 59 ? "semicolon" : "other";
        i++;
      }
      tokens.push({ kind, start, end: i });
    }
    return tokens;
  }
  function lineCommentEnd(source, open) {
    let i = open + 2;
    while (i < source.length && !isNewline(source.charCodeAt(i))) i++;
    return i;
  }
  function blockCommentEnd(source, open) {
    let depth = 0;
    let i = open;
    while (i < source.length) {
      if (source.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (source.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth === 0) return i;
      } else {
        i++;
      }
    }
    throw new StatementTextError("unterminated /* comment");
  }
  function stringEnd(source, open, backslashes) {
    let i = open + 1;
    while (i < source.length) {
      const c = source.charCodeAt(i);
      if (backslashes && c === BACKSLASH) {
        i += 2;
      } else if (c === QUOTE) {
        if (source.charCodeAt(i + 1) === QUOTE) {
          i += 2;
          continue;
        }
        const continued = continuationEnd(source, i + 1);
        if (continued < 0) return i + 1;
        i = continued;
      } else {
        i++;
      }
    }
    throw new StatementTextError("unterminated string literal");
  }
  function continuationEnd(source, from) {
    let i = from;
    let newline = false;
    for (; ; ) {
      const c = source.charCodeAt(i);
      if (isNewline(c)) {
        newline = true;
        i++;
      } else if (isSpace(c)) {
        i++;
      } else if (source.startsWith("--", i)) {
        i = lineCommentEnd(source, i);
      } else {
        return newline && c === QUOTE ? i + 1 : -1;
      }
    }
  }
  function quotedIdentifierEnd(source, open) {
    let i = open + 1;
    while (i < source.length) {
      if (source.charCodeAt(i) === DOUBLE_QUOTE) {
        if (source.charCodeAt(i + 1) !== DOUBLE_QUOTE) return i + 1;
        i += 2;
      } else {
        i++;
      }
    }
    throw new StatementTextError("unterminated quoted identifier");
  }
  function numberEnd(source, open) {
    const at = (i2) => source.charCodeAt(i2);
    let i = open;
    while (isDigit(at(i))) i++;
    if (at(i) === 46 && at(i + 1) !== 46) {
      i++;
      while (isDigit(at(i))) i++;
    }
    const sign = at(i + 1) === 43 || at(i + 1) === 45 ? 1 : 0;
    if ((at(i) === 69 || at(i) === 101) && isDigit(at(i + 1 + sign))) {
      i += 1 + sign;
      while (isDigit(at(i))) i++;
    }
    return i;
  }
  function dollarQuoteEnd(source, open) {
    let i = open + 1;
    if (isIdentStart(source.charCodeAt(i))) {
      i++;
      while (isTagCont(source.charCodeAt(i))) i++;
    }
    if (source.charCodeAt(i) !== DOLLAR) return -1;
    const delimiter = source.slice(open, i + 1);
    const close = source.indexOf(delimiter, i + 1);
    if (close < 0) throw new StatementTextError(`unterminated dollar-quoted string ${delimiter}`);
    return close + delimiter.length;
  }
  function asciiLower(text) {
    return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  }
  function trimSpace(text) {
    let start = 0;
    let end = text.length;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    return text.slice(start, end);
  }

  // plv8/host/plv8-host.ts
  function runStepSync(step, execute) {
    let result = step.next();
    while (!result.done) {
      const request = result.value;
      let rows;
      try {
        rows = request.fork ? forkedResults(request.fork.steps, (inner) => runStepSync(inner, execute)) : execute(request);
      } catch (error) {
        result = step.throw(error);
        continue;
      }
      result = step.next(rows);
    }
    return result.value;
  }
  function forkedResults(steps, run) {
    const outcomes = steps.map((step) => {
      try {
        return { value: run(step) };
      } catch (error) {
        return { error };
      }
    });
    const failed = outcomes.find((o) => "error" in o);
    if (failed) throw failed.error;
    return outcomes.map((o) => ({ value: o.value }));
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
  function executeOneCommand(plv8, sql, params) {
    const statements = splitStatements(sql);
    if (statements.length !== 1) throw new Error(`a command request must hold exactly one statement, not ${statements.length}`);
    plv8.execute(sql, params);
    return [];
  }
  var ANALYSIS_SEARCH_PATH_SQL = `select pg_catalog.set_config('search_path',
  pg_catalog.concat_ws(', ', 'pg_catalog', nullif(s.reset_val, ''), 'pg_temp'), true) as search_path
  from pg_catalog.pg_settings s where s.name = 'search_path'`;
  function runInPlv8(plv8, step) {
    executeOneStatement(plv8, ANALYSIS_SEARCH_PATH_SQL, []);
    return runStepSync(
      step,
      (request) => request.command === true ? executeOneCommand(plv8, request.sql, request.params ?? []) : executeOneStatement(plv8, request.sql, request.params ?? [])
    );
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
revoke execute on function optischema.engine_server_facts() from public;

create or replace function optischema.engine_advise_query(query text, options jsonb)
  returns jsonb
  language plv8
  volatile
  set search_path = pg_catalog, pg_temp
as $plv8$
var optischema_engine = (() => {
  var __defProp = Object.defineProperty;
  var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
  var __getOwnPropNames = Object.getOwnPropertyNames;
  var __hasOwnProp = Object.prototype.hasOwnProperty;
  var __defNormalProp = (obj, key, value) => key in obj ? __defProp(obj, key, { enumerable: true, configurable: true, writable: true, value }) : obj[key] = value;
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
  var __publicField = (obj, key, value) => __defNormalProp(obj, typeof key !== "symbol" ? key + "" : key, value);

  // plv8/entry:engine_advise_query.ts
  var entry_engine_advise_query_exports = {};
  __export(entry_engine_advise_query_exports, {
    main: () => main
  });

  // plv8/engine/statement-text.ts
  var StatementTextError = class extends Error {
  };
  var PLANNABLE = /* @__PURE__ */ new Set(["select", "with", "values", "table", "insert", "update", "delete", "merge", "("]);
  function readStatement(source) {
    const pieces = splitStatements(source);
    if (pieces.length === 0) throw new StatementTextError("the query is empty");
    if (pieces.length > 1) throw new StatementTextError(`the text holds ${pieces.length} statements; give one statement at a time`);
    const piece = pieces[0];
    if (!PLANNABLE.has(piece.firstKeyword)) {
      throw new StatementTextError(`only SELECT, WITH, VALUES, TABLE, INSERT, UPDATE, DELETE and MERGE statements can be advised on, not ${piece.firstKeyword.toUpperCase() || "this text"}`);
    }
    return piece;
  }
  function splitStatements(source) {
    const out = [];
    let start = 0;
    let first;
    let hasParameters = false;
    const finish = (end) => {
      if (first) {
        const firstKeyword = first.kind === "word" ? asciiLower(source.slice(first.start, first.end)) : source[first.start] === "(" ? "(" : "";
        out.push({ text: trimSpace(source.slice(start, end)), hasParameters, firstKeyword });
      }
      first = void 0;
      hasParameters = false;
    };
    for (const token of scan(source)) {
      if (token.kind === "semicolon") {
        finish(token.start);
        start = token.end;
      } else if (token.kind !== "space" && token.kind !== "comment") {
        first ?? (first = token);
        if (token.kind === "parameter") hasParameters = true;
      }
    }
    finish(source.length);
    return out;
  }
  function typedParametersAsCasts(source) {
    const tokens = scan(source);
    let out = "";
    let copied = 0;
    for (let t = 0; t < tokens.length; t++) {
      const typed = typedParameterAt(source, tokens, t);
      if (!typed) continue;
      const parameter = tokens[typed.parameter];
      out += `${source.slice(copied, tokens[t].start)}${source.slice(parameter.start, parameter.end)}::${typed.type}`;
      copied = parameter.end;
      t = typed.parameter;
    }
    return out + source.slice(copied);
  }
  var TYPED_LITERAL_TYPES = /* @__PURE__ */ new Set([
    "date",
    "timestamptz",
    "timestamp",
    "timetz",
    "time",
    "interval",
    "numeric",
    "decimal",
    "int",
    "integer",
    "int2",
    "int4",
    "int8",
    "smallint",
    "bigint",
    "real",
    "float",
    "float4",
    "float8",
    "boolean",
    "bool",
    "text",
    "varchar",
    "char",
    "character",
    "bpchar",
    "json",
    "jsonb",
    "uuid",
    "bytea",
    "inet",
    "cidr",
    "macaddr",
    "money",
    "tsquery",
    "tsvector",
    "oid",
    "regclass",
    "name"
  ]);
  var INTERVAL_FIELDS = /* @__PURE__ */ new Set(["year", "month", "day", "hour", "minute", "second"]);
  function typedParameterAt(source, tokens, t) {
    const text = (i) => tokens[i] ? source.slice(tokens[i].start, tokens[i].end) : "";
    const isWord2 = (i, ...words2) => tokens[i]?.kind === "word" && words2.includes(asciiLower(text(i)));
    const isBlank = (i) => tokens[i]?.kind === "space";
    if (!isWord2(t, ...TYPED_LITERAL_TYPES)) return void 0;
    const words = [text(t)];
    let next = t + 1;
    if (isWord2(t, "timestamp", "time") && isBlank(next) && isWord2(next + 1, "with", "without") && isBlank(next + 2) && isWord2(next + 3, "time") && isBlank(next + 4) && isWord2(next + 5, "zone")) {
      words.push(text(next + 1), text(next + 3), text(next + 5));
      next += 6;
    }
    if (!isBlank(next) || tokens[next + 1]?.kind !== "parameter") return void 0;
    const afterText = isBlank(next + 2) ? next + 3 : next + 2;
    if (isWord2(t, "interval") && words.length === 1 && isWord2(afterText, ...INTERVAL_FIELDS)) return { type: words[0], parameter: next + 1 };
    const after = tokens[next + 2]?.kind;
    if (after === "word" || after === "number") return void 0;
    return { type: words.join(" "), parameter: next + 1 };
  }
  var QUOTE = 39;
  var DOUBLE_QUOTE = 34;
  var DOLLAR = 36;
  var BACKSLASH = 92;
  var isSpace = (c) => c === 32 || c >= 9 && c <= 13;
  var isNewline = (c) => c === 10 || c === 13;
  var isDigit = (c) => c >= 48 && c <= 57;
  var isIdentStart = (c) => c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 95 || c >= 128;
  var isIdentCont = (c) => isIdentStart(c) || isDigit(c) || c === DOLLAR;
  var isTagCont = (c) => isIdentStart(c) || isDigit(c);
  function textTokens(source) {
    return scan(source);
  }
  function scan(source) {
    if (source.includes("\0")) throw new StatementTextError("the text holds a NUL character, which PostgreSQL cannot receive");
    const tokens = [];
    const at = (i2) => source.charCodeAt(i2);
    let i = 0;
    while (i < source.length) {
      const c = at(i);
      const start = i;
      let kind;
      if (isSpace(c)) {
        kind = "space";
        while (isSpace(at(i))) i++;
      } else if (source.startsWith("--", i)) {
        kind = "comment";
        i = lineCommentEnd(source, i);
      } else if (source.startsWith("/*", i)) {
        kind = "comment";
        i = blockCommentEnd(source, i);
      } else if ((c === 69 || c === 101) && at(i + 1) === QUOTE) {
        kind = "string";
        i = stringEnd(source, i + 1, true);
      } else if (c === QUOTE) {
        kind = "string";
        i = stringEnd(source, i, false);
      } else if (c === DOUBLE_QUOTE) {
        kind = "quoted-identifier";
        i = quotedIdentifierEnd(source, i);
      } else if (isIdentStart(c)) {
        kind = "word";
        while (isIdentCont(at(i))) i++;
      } else if (isDigit(c) || c === 46 && isDigit(at(i + 1))) {
        kind = "number";
        i = numberEnd(source, i);
      } else if (c === DOLLAR && isDigit(at(i + 1))) {
        kind = "parameter";
        i++;
        while (isDigit(at(i))) i++;
      } else if (c === DOLLAR) {
        const close = dollarQuoteEnd(source, i);
        kind = close < 0 ? "other" : "string";
        i = close < 0 ? i + 1 : close;
      } else {
        kind = c === 59 ? "semicolon" : "other";
        i++;
      }
      tokens.push({ kind, start, end: i });
    }
    return tokens;
  }
  function lineCommentEnd(source, open) {
    let i = open + 2;
    while (i < source.length && !isNewline(source.charCodeAt(i))) i++;
    return i;
  }
  function blockCommentEnd(source, open) {
    let depth = 0;
    let i = open;
    while (i < source.length) {
      if (source.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (source.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth === 0) return i;
      } else {
        i++;
      }
    }
    throw new StatementTextError("unterminated /* comment");
  }
  function stringEnd(source, open, backslashes) {
    let i = open + 1;
    while (i < source.length) {
      const c = source.charCodeAt(i);
      if (backslashes && c === BACKSLASH) {
        i += 2;
      } else if (c === QUOTE) {
        if (source.charCodeAt(i + 1) === QUOTE) {
          i += 2;
          continue;
        }
        const continued = continuationEnd(source, i + 1);
        if (continued < 0) return i + 1;
        i = continued;
      } else {
        i++;
      }
    }
    throw new StatementTextError("unterminated string literal");
  }
  function continuationEnd(source, from) {
    let i = from;
    let newline = false;
    for (; ; ) {
      const c = source.charCodeAt(i);
      if (isNewline(c)) {
        newline = true;
        i++;
      } else if (isSpace(c)) {
        i++;
      } else if (source.startsWith("--", i)) {
        i = lineCommentEnd(source, i);
      } else {
        return newline && c === QUOTE ? i + 1 : -1;
      }
    }
  }
  function quotedIdentifierEnd(source, open) {
    let i = open + 1;
    while (i < source.length) {
      if (source.charCodeAt(i) === DOUBLE_QUOTE) {
        if (source.charCodeAt(i + 1) !== DOUBLE_QUOTE) return i + 1;
        i += 2;
      } else {
        i++;
      }
    }
    throw new StatementTextError("unterminated quoted identifier");
  }
  function numberEnd(source, open) {
    const at = (i2) => source.charCodeAt(i2);
    let i = open;
    while (isDigit(at(i))) i++;
    if (at(i) === 46 && at(i + 1) !== 46) {
      i++;
      while (isDigit(at(i))) i++;
    }
    const sign = at(i + 1) === 43 || at(i + 1) === 45 ? 1 : 0;
    if ((at(i) === 69 || at(i) === 101) && isDigit(at(i + 1 + sign))) {
      i += 1 + sign;
      while (isDigit(at(i))) i++;
    }
    return i;
  }
  function dollarQuoteEnd(source, open) {
    let i = open + 1;
    if (isIdentStart(source.charCodeAt(i))) {
      i++;
      while (isTagCont(source.charCodeAt(i))) i++;
    }
    if (source.charCodeAt(i) !== DOLLAR) return -1;
    const delimiter = source.slice(open, i + 1);
    const close = source.indexOf(delimiter, i + 1);
    if (close < 0) throw new StatementTextError(`unterminated dollar-quoted string ${delimiter}`);
    return close + delimiter.length;
  }
  function asciiLower(text) {
    return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  }
  function trimSpace(text) {
    let start = 0;
    let end = text.length;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    return text.slice(start, end);
  }

  // plv8/host/plv8-host.ts
  function runStepSync(step, execute) {
    let result = step.next();
    while (!result.done) {
      const request = result.value;
      let rows;
      try {
        rows = request.fork ? forkedResults(request.fork.steps, (inner) => runStepSync(inner, execute)) : execute(request);
      } catch (error) {
        result = step.throw(error);
        continue;
      }
      result = step.next(rows);
    }
    return result.value;
  }
  function forkedResults(steps, run) {
    const outcomes = steps.map((step) => {
      try {
        return { value: run(step) };
      } catch (error) {
        return { error };
      }
    });
    const failed = outcomes.find((o) => "error" in o);
    if (failed) throw failed.error;
    return outcomes.map((o) => ({ value: o.value }));
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
  function executeOneCommand(plv8, sql, params) {
    const statements = splitStatements(sql);
    if (statements.length !== 1) throw new Error(`a command request must hold exactly one statement, not ${statements.length}`);
    plv8.execute(sql, params);
    return [];
  }
  var ANALYSIS_SEARCH_PATH_SQL = `select pg_catalog.set_config('search_path',
  pg_catalog.concat_ws(', ', 'pg_catalog', nullif(s.reset_val, ''), 'pg_temp'), true) as search_path
  from pg_catalog.pg_settings s where s.name = 'search_path'`;
  function runInPlv8(plv8, step) {
    executeOneStatement(plv8, ANALYSIS_SEARCH_PATH_SQL, []);
    return runStepSync(
      step,
      (request) => request.command === true ? executeOneCommand(plv8, request.sql, request.params ?? []) : executeOneStatement(plv8, request.sql, request.params ?? [])
    );
  }

  // plv8/engine/quote-ident.ts
  var KEYWORDS_NEEDING_QUOTES = new Set(
    "all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column concurrently constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references returning right select session_user similar some symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when where window with".split(" ")
  );
  function quoteIdent(name) {
    if (/^[a-z_][a-z0-9_$]*$/.test(name) && !KEYWORDS_NEEDING_QUOTES.has(name)) return name;
    return `"${name.replace(/"/g, '""')}"`;
  }
  function unquoteIdent(name) {
    return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
  }

  // plv8/advisor/candidates/index-names.ts
  var MAX_IDENTIFIER_BYTES = 63;
  function indexName(c) {
    const parts = [
      slug(c.table),
      ...c.method && c.method !== "btree" ? [c.method] : [],
      ...c.keys.map((k) => slug(k.column ?? k.expression ?? "") + (k.opclass ? `_${k.opclass === "text_pattern_ops" ? "pattern" : slug(k.opclass)}` : "") + (k.descending ? "_desc" : "") + nullsSlug(k)),
      ...c.include && c.include.length > 0 ? ["incl", ...c.include.map(slug)] : [],
      ...c.predicate ? ["where", slug(c.predicate.replace(/::[a-z ]+/g, ""))] : []
    ];
    const base = parts.join("_");
    const full = `${base}_idx`;
    if (full.length <= MAX_IDENTIFIER_BYTES) return full;
    const hash = shortHash(`${c.schema}\0${c.table}\0${JSON.stringify([c.keys, c.include ?? [], c.predicate ?? ""])}`);
    const room = MAX_IDENTIFIER_BYTES - "_idx".length - hash.length - 1;
    return `${base.slice(0, room).replace(/_+$/, "")}_${hash}_idx`;
  }
  function indexDdl(c, options) {
    const keys = c.keys.map((k) => {
      const key = k.column !== void 0 ? quoteIdent(k.column) : `(${k.expression ?? ""})`;
      const nulls = k.nullsFirst === void 0 ? "" : k.nullsFirst ? " NULLS FIRST" : " NULLS LAST";
      return `${key}${k.opclass ? ` ${k.opclass}` : ""}${k.descending ? " DESC" : ""}${nulls}`;
    });
    const using = c.method && c.method !== "btree" ? ` USING ${c.method}` : "";
    const concurrently = options.concurrently ? "CONCURRENTLY " : "";
    const include = c.include && c.include.length > 0 ? ` INCLUDE (${c.include.map(quoteIdent).join(", ")})` : "";
    const where = c.predicate ? ` WHERE ${c.predicate}` : "";
    return `CREATE INDEX ${concurrently}${quoteIdent(indexName(c))} ON ${quoteIdent(c.schema)}.${quoteIdent(c.table)}${using} (${keys.join(", ")})${include}${where}`;
  }
  function rollbackDdl(c, options = { concurrently: true }) {
    return `DROP INDEX ${options.concurrently ? "CONCURRENTLY " : ""}IF EXISTS ${quoteIdent(c.schema)}.${quoteIdent(indexName(c))}`;
  }
  function nullsSlug(k) {
    return k.nullsFirst === void 0 ? "" : k.nullsFirst ? "_nulls_first" : "_nulls_last";
  }
  function slug(text) {
    const readable = text.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    return readable === "" ? `x${shortHash(text)}` : readable;
  }
  function shortHash(text) {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h.toString(36).padStart(7, "0").slice(-6);
  }

  // plv8/plan/conditions.ts
  function analyzeCondition(text) {
    const result = { atoms: [], joins: [], ors: [], joinSides: [], skipped: [] };
    let tokens;
    try {
      tokens = tokenize(text);
    } catch {
      result.skipped.push({ text, why: "unparsed" });
      return result;
    }
    for (const part of andParts(tokens)) {
      const partText = text.slice(part[0].start, part[part.length - 1].end);
      if (hasTopLevel(unwrap(part), "OR")) {
        result.skipped.push({ text: partText, why: "or" });
        const arms = splitTopLevel(unwrap(part), "OR").map((arm) => analyzeCondition(text.slice(arm[0].start, arm[arm.length - 1].end)));
        if (arms.every((arm) => arm.atoms.length > 0 && arm.skipped.length === 0 && arm.joins.length === 0 && arm.ors.length === 0)) {
          result.ors.push({ text: partText, arms: arms.map((arm) => arm.atoms) });
        }
        continue;
      }
      const inner = unwrap(part);
      if (isWord(inner[0], "NOT")) {
        let negated = null;
        try {
          negated = new Parser(inner.slice(1), text).parseWhole();
        } catch {
          negated = null;
        }
        const side = negated === null ? null : indexedSide(negated);
        if (side && side.column !== null) result.atoms.push({ ...side, kind: "bool", operator: "=", constant: "false", text: partText });
        else result.skipped.push({ text: partText, why: "unparsed" });
        continue;
      }
      let node;
      try {
        node = new Parser(part, text).parseWhole();
      } catch {
        result.skipped.push({ text: partText, why: "unparsed" });
        continue;
      }
      classify(node, partText, result);
    }
    return result;
  }
  function parseOperand(text) {
    try {
      const node = new Parser(tokenize(text), text).parseWhole();
      return indexedSide(node);
    } catch {
      return null;
    }
  }
  function columnsIn(text) {
    try {
      return columnsOf(new Parser(tokenize(text), text).parseWhole());
    } catch {
      return null;
    }
  }
  var OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";
  function tokenize(text) {
    const tokens = [];
    let i = 0;
    while (i < text.length) {
      const ch = text[i];
      const start = i;
      if (/\s/.test(ch)) {
        i++;
      } else if (ch === "(" || ch === ")" || ch === "," || ch === "[" || ch === "]") {
        tokens.push({ kind: ch, value: ch, start, end: ++i });
      } else if (ch === ":" && text[i + 1] === ":") {
        i += 2;
        tokens.push({ kind: "::", value: "::", start, end: i });
      } else if (ch === "'" || (ch === "E" || ch === "e") && text[i + 1] === "'") {
        i = ch === "'" ? i + 1 : i + 2;
        let value = "";
        for (; ; ) {
          if (i >= text.length) throw new Error("unterminated string");
          if (text[i] === "'" && text[i + 1] === "'") {
            value += "'";
            i += 2;
          } else if (text[i] === "'") {
            i++;
            break;
          } else if (text[i] === "\\" && ch !== "'") {
            value += text[i + 1] ?? "";
            i += 2;
          } else {
            value += text[i++];
          }
        }
        tokens.push({ kind: "string", value, start, end: i });
      } else if (ch === '"') {
        i++;
        let value = "";
        for (; ; ) {
          if (i >= text.length) throw new Error("unterminated identifier");
          if (text[i] === '"' && text[i + 1] === '"') {
            value += '"';
            i += 2;
          } else if (text[i] === '"') {
            i++;
            break;
          } else {
            value += text[i++];
          }
        }
        tokens.push({ kind: "qident", value, start, end: i });
      } else if (ch === "$" && /\d/.test(text[i + 1] ?? "")) {
        i++;
        while (/\d/.test(text[i] ?? "")) i++;
        tokens.push({ kind: "param", value: text.slice(start, i), start, end: i });
      } else if (/\d/.test(ch) || ch === "." && /\d/.test(text[i + 1] ?? "")) {
        while (/[\d.eE]/.test(text[i] ?? "") || /[eE]/.test(text[i - 1] ?? "") && /[+-]/.test(text[i] ?? "")) i++;
        tokens.push({ kind: "number", value: text.slice(start, i), start, end: i });
      } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
        while (/[A-Za-z0-9_$\u0080-\uffff]/.test(text[i] ?? "")) i++;
        tokens.push({ kind: "ident", value: text.slice(start, i), start, end: i });
      } else if (ch === ".") {
        tokens.push({ kind: "op", value: ".", start, end: ++i });
      } else if (OPERATOR_CHARS.includes(ch)) {
        while (i < text.length && OPERATOR_CHARS.includes(text[i])) i++;
        tokens.push({ kind: "op", value: text.slice(start, i), start, end: i });
      } else {
        tokens.push({ kind: "other", value: ch, start, end: ++i });
      }
    }
    return tokens;
  }
  var isWord = (t, word) => t?.kind === "ident" && t.value.toUpperCase() === word;
  function unwrap(tokens) {
    let current = tokens;
    while (current.length >= 2 && current[0].kind === "(" && closingIndex(current, 0) === current.length - 1) {
      current = current.slice(1, -1);
    }
    return current;
  }
  function closingIndex(tokens, open) {
    let depth = 0;
    for (let i = open; i < tokens.length; i++) {
      if (tokens[i].kind === "(") depth++;
      else if (tokens[i].kind === ")" && --depth === 0) return i;
    }
    return -1;
  }
  function splitTopLevel(tokens, word) {
    const parts = [[]];
    let depth = 0;
    for (const t of tokens) {
      if (t.kind === "(") depth++;
      if (t.kind === ")") depth--;
      if (depth === 0 && isWord(t, word)) parts.push([]);
      else parts[parts.length - 1].push(t);
    }
    return parts.filter((p) => p.length > 0);
  }
  function hasTopLevel(tokens, word) {
    return splitTopLevel(tokens, word).length > 1;
  }
  function andParts(tokens) {
    const inner = unwrap(tokens);
    const parts = splitTopLevel(inner, "AND");
    if (parts.length <= 1) return inner.length > 0 ? [tokens] : [];
    return parts.flatMap(andParts);
  }
  var STOP_WORDS = /* @__PURE__ */ new Set(["AND", "OR", "NOT", "IS", "ANY", "ALL", "ASC", "DESC", "NULLS", "USING", "COLLATE"]);
  var Parser = class {
    constructor(tokens, source) {
      __publicField(this, "pos", 0);
      __publicField(this, "tokens");
      __publicField(this, "source");
      this.tokens = tokens;
      this.source = source;
    }
    parseWhole() {
      const { node } = this.comparison();
      if (this.pos !== this.tokens.length) throw new Error("trailing tokens");
      return node;
    }
    peek(offset = 0) {
      return this.tokens[this.pos + offset];
    }
    next() {
      const t = this.tokens[this.pos++];
      if (!t) throw new Error("unexpected end");
      return t;
    }
    expect(kind) {
      const t = this.next();
      if (t.kind !== kind) throw new Error(`expected ${kind}`);
      return t;
    }
    /** `a op b [op c …]`, `a op ANY (b)`, `a IS [NOT] NULL`. */
    comparison() {
      let left = this.postfix();
      for (; ; ) {
        const t = this.peek();
        if (isWord(t, "IS")) {
          this.pos++;
          const not = isWord(this.peek(), "NOT");
          if (not) this.pos++;
          const end = this.next();
          if (!isWord(end, "NULL")) throw new Error("IS other than NULL");
          left = { node: { type: "null_test", not, arg: left.node }, start: left.start, end: end.end };
        } else if (t?.kind === "op" && t.value !== ".") {
          this.pos++;
          if (isWord(this.peek(), "ANY") || isWord(this.peek(), "ALL")) {
            const all = isWord(this.next(), "ALL");
            const right = this.postfix();
            left = { node: { type: "any", op: t.value, all, left: left.node, right: right.node }, start: left.start, end: right.end };
          } else {
            const right = this.postfix();
            left = { node: { type: "op", op: t.value, left: left.node, right: right.node }, start: left.start, end: right.end };
          }
        } else {
          return left;
        }
      }
    }
    /** A primary followed by any number of `::type` casts. */
    postfix() {
      let result = this.primary();
      while (this.peek()?.kind === "::") {
        this.pos++;
        const words = [];
        let end = this.pos;
        while (this.peek()?.kind === "ident" || this.peek()?.kind === "qident") {
          if (this.peek().kind === "ident" && STOP_WORDS.has(this.peek().value.toUpperCase())) break;
          const w = this.next();
          const word = w.kind === "qident" ? quoteIdent(w.value) : w.value;
          if (words.length > 0 && words[words.length - 1].endsWith(".")) words[words.length - 1] += word;
          else words.push(word);
          if (this.peek()?.kind === "op" && this.peek().value === ".") {
            this.pos++;
            words[words.length - 1] += ".";
          }
          end = this.pos;
        }
        if (this.peek()?.kind === "(") {
          const close = closingIndex(this.tokens, this.pos);
          if (close < 0) throw new Error("unbalanced type modifier");
          this.pos = close + 1;
          end = this.pos;
        }
        while (this.peek()?.kind === "[" && this.peek(1)?.kind === "]") {
          this.pos += 2;
          if (words.length > 0) words[words.length - 1] += "[]";
          end = this.pos;
        }
        if (words.length === 0) throw new Error("cast without type");
        result = { node: { type: "cast", arg: result.node, typeName: words.join(" ") }, start: result.start, end: this.tokens[end - 1].end };
      }
      return result;
    }
    primary() {
      const t = this.next();
      switch (t.kind) {
        case "(": {
          const inner = this.comparison();
          const close = this.expect(")");
          return { node: inner.node, start: t.start, end: close.end };
        }
        case "string":
        case "number":
        case "param":
          return { node: { type: "const", text: this.source.slice(t.start, t.end) }, start: t.start, end: t.end };
        case "ident":
        case "qident": {
          if (t.kind === "ident" && STOP_WORDS.has(t.value.toUpperCase())) throw new Error(`unexpected ${t.value}`);
          if (t.kind === "ident" && ["NULL", "TRUE", "FALSE"].includes(t.value.toUpperCase())) {
            return { node: { type: "const", text: t.value }, start: t.start, end: t.end };
          }
          const names = [t];
          while (this.peek()?.kind === "op" && this.peek().value === ".") {
            this.pos++;
            const part = this.next();
            if (part.kind !== "ident" && part.kind !== "qident") throw new Error("bad qualified name");
            names.push(part);
          }
          if (this.peek()?.kind === "(") return this.call(names, t.start);
          const last = names[names.length - 1];
          if (names.length === 1) return { node: { type: "column", ref: { alias: null, column: t.value } }, start: t.start, end: t.end };
          if (names.length === 2) {
            return { node: { type: "column", ref: { alias: names[0].value, column: last.value } }, start: t.start, end: last.end };
          }
          throw new Error("three-part name");
        }
        default:
          throw new Error(`unexpected ${t.value}`);
      }
    }
    call(names, start) {
      this.expect("(");
      const args = [];
      if (this.peek()?.kind !== ")") {
        for (; ; ) {
          args.push(this.comparison().node);
          if (this.peek()?.kind === ",") this.pos++;
          else break;
        }
      }
      const close = this.expect(")");
      const name = names.map((n) => n.kind === "qident" ? quoteIdent(n.value) : n.value).join(".");
      return { node: { type: "func", name, args }, start, end: close.end };
    }
  };
  function columnsOf(node) {
    switch (node.type) {
      case "column":
        return [node.ref];
      case "const":
        return [];
      case "func":
        return node.args.flatMap(columnsOf);
      case "cast":
        return columnsOf(node.arg);
      case "op":
      case "any":
        return [...columnsOf(node.left), ...columnsOf(node.right)];
      case "null_test":
        return columnsOf(node.arg);
    }
  }
  function stripCasts(node) {
    return node.type === "cast" ? stripCasts(node.arg) : node;
  }
  var TRANSPARENT_CASTS = /* @__PURE__ */ new Set(["text", "character varying", "varchar", "name"]);
  function stripTransparentCasts(node) {
    return node.type === "cast" && TRANSPARENT_CASTS.has(node.typeName) ? stripTransparentCasts(node.arg) : node;
  }
  function render(node) {
    switch (node.type) {
      case "column":
        return quoteIdent(node.ref.column);
      case "const":
        return node.text;
      case "func":
        return `${node.name}(${node.args.map(render).join(", ")})`;
      case "cast":
        if (stripCasts(node.arg).type === "column" && TRANSPARENT_CASTS.has(node.typeName)) return render(node.arg);
        return node.arg.type !== "const" && node.arg.type !== "func" ? `(${render(node.arg)})::${node.typeName}` : `${render(node.arg)}::${node.typeName}`;
      case "op":
        return `(${render(node.left)} ${node.op} ${render(node.right)})`;
      case "any":
        return `(${render(node.left)} ${node.op} ${node.all ? "ALL" : "ANY"} (${render(node.right)}))`;
      case "null_test":
        return `(${render(node.arg)} IS ${node.not ? "NOT " : ""}NULL)`;
    }
  }
  function indexedSide(node) {
    const bare = stripTransparentCasts(node);
    if (bare.type === "column") return { alias: bare.ref.alias, column: bare.ref.column };
    const refs = columnsOf(bare);
    const aliases = new Set(refs.map((r) => r.alias));
    if (refs.length === 0 || aliases.size !== 1 || bare.type === "const") return null;
    return { alias: refs[0].alias, column: null, expression: render(bare) };
  }
  var NON_BTREE_OPERATORS = /* @__PURE__ */ new Set(["@>", "<@", "&&", "?", "?|", "?&", "@@", "@?", "~~", "~~*", "~", "~*", "-|-", "<<", ">>", "&<", "&>"]);
  var FLIPPED = { "<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=" };
  var RANGE_OPERATORS = /* @__PURE__ */ new Set(["<", ">", "<=", ">=", "~<~", "~>~", "~<=~", "~>=~"]);
  function classify(root, text, out) {
    const node = stripCasts(root);
    const skip = (why) => {
      out.skipped.push({ text, why });
    };
    if (node.type === "column") {
      out.atoms.push({ alias: node.ref.alias, column: node.ref.column, kind: "bool", operator: "=", constant: "true", text });
      return;
    }
    if (node.type === "null_test") {
      const side2 = indexedSide(node.arg);
      if (!side2) return skip("unsupported");
      out.atoms.push({ ...side2, kind: node.not ? "not_null" : "is_null", operator: node.not ? "IS NOT NULL" : "IS NULL", text });
      return;
    }
    if (node.type === "any") {
      const side2 = indexedSide(node.left);
      if (!side2 || node.all || node.op !== "=") return skip("unsupported");
      if (columnsOf(node.right).length > 0) return skip("join");
      out.atoms.push({ ...side2, kind: "in", operator: "= ANY", constant: render(node.right), text });
      return;
    }
    if (node.type !== "op") return skip("unsupported");
    const leftCols = columnsOf(node.left);
    const rightCols = columnsOf(node.right);
    if (leftCols.length > 0 && rightCols.length > 0) {
      const l = stripCasts(node.left);
      const r = stripCasts(node.right);
      if (node.op === "=" && l.type === "column" && r.type === "column") out.joins.push({ left: l.ref, right: r.ref, text });
      else if (node.op === "=") {
        const sides = [indexedSide(node.left), indexedSide(node.right)];
        if (sides.every((side2) => side2 !== null) && sides[0].alias !== sides[1].alias) {
          for (const side2 of sides) out.joinSides.push({ ...side2, text });
        }
      }
      return skip("join");
    }
    if (leftCols.length === 0 && rightCols.length === 0) return skip("unsupported");
    const flip = leftCols.length === 0;
    const op = flip ? FLIPPED[node.op] : node.op;
    const side = indexedSide(flip ? node.right : node.left);
    const constantNode = flip ? node.left : node.right;
    if (!side || !op) return skip("unsupported");
    const constant = render(constantNode);
    if (op === "=") {
      out.atoms.push({ ...side, kind: "eq", operator: op, constant, text });
    } else if (RANGE_OPERATORS.has(op)) {
      out.atoms.push({ ...side, kind: "range", operator: op, constant, text });
    } else if (op === "~~" && isPrefixPattern(stripCasts(constantNode))) {
      out.atoms.push({ ...side, kind: "prefix", operator: op, constant, text });
    } else if (!flip && NON_BTREE_OPERATORS.has(op)) {
      out.atoms.push({ ...side, kind: "operator", operator: op, constant, text });
    } else {
      skip("unsupported");
    }
  }
  function isPrefixPattern(node) {
    if (node.type !== "const" || !node.text.startsWith("'")) return false;
    const first = node.text[1];
    return first !== void 0 && first !== "%" && first !== "_" && first !== "'";
  }

  // plv8/plan/explain-keys.ts
  var EXPLAIN = {
    plan: "Plan",
    plans: "Plans",
    nodeType: "Node Type",
    parentRelationship: "Parent Relationship",
    subplanName: "Subplan Name",
    operation: "Operation",
    strategy: "Strategy",
    partialMode: "Partial Mode",
    joinType: "Join Type",
    scanDirection: "Scan Direction",
    parallelAware: "Parallel Aware",
    schema: "Schema",
    relationName: "Relation Name",
    indexName: "Index Name",
    cteName: "CTE Name",
    functionName: "Function Name",
    planningTime: "Planning Time",
    executionTime: "Execution Time",
    sharedHitBlocks: "Shared Hit Blocks",
    sharedReadBlocks: "Shared Read Blocks",
    alias: "Alias",
    filter: "Filter",
    indexCond: "Index Cond",
    recheckCond: "Recheck Cond",
    rowsRemovedByFilter: "Rows Removed by Filter",
    actualRows: "Actual Rows",
    planRows: "Plan Rows",
    totalCost: "Total Cost",
    sortKey: "Sort Key",
    presortedKey: "Presorted Key",
    hashCond: "Hash Cond",
    mergeCond: "Merge Cond",
    joinFilter: "Join Filter",
    oneTimeFilter: "One-Time Filter",
    output: "Output",
    // EXPLAIN ANALYZE figures the plan insights read (plv8/plan/insights/).
    actualLoops: "Actual Loops",
    sortMethod: "Sort Method",
    sortSpaceUsed: "Sort Space Used",
    sortSpaceType: "Sort Space Type",
    hashBatches: "Hash Batches",
    originalHashBatches: "Original Hash Batches",
    hashAggBatches: "HashAgg Batches",
    peakMemoryUsage: "Peak Memory Usage",
    exactHeapBlocks: "Exact Heap Blocks",
    lossyHeapBlocks: "Lossy Heap Blocks",
    heapFetches: "Heap Fetches",
    workersPlanned: "Workers Planned",
    workersLaunched: "Workers Launched",
    workers: "Workers",
    jit: "JIT",
    jitTiming: "Timing",
    jitTimingTotal: "Total",
    rowsRemovedByIndexRecheck: "Rows Removed by Index Recheck"
  };

  // plv8/plan/plan-scans.ts
  var CATALOG_SCHEMAS = ["pg_catalog", "information_schema", "pg_toast"];
  var isNode = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
  var str = (node, key) => typeof node[key] === "string" ? node[key] : void 0;
  var num = (node, key) => typeof node[key] === "number" ? node[key] : void 0;
  var children = (node) => Array.isArray(node[EXPLAIN.plans]) ? node[EXPLAIN.plans].filter(isNode) : [];
  function rootPlan(plan) {
    const first = Array.isArray(plan) ? plan[0] : plan;
    if (!isNode(first)) return null;
    if (isNode(first[EXPLAIN.plan])) return first[EXPLAIN.plan];
    return typeof first[EXPLAIN.nodeType] === "string" ? first : null;
  }
  var ORDER_PRESERVING = /* @__PURE__ */ new Set(["Gather Merge", "Result", "Subquery Scan"]);
  var SORTS = /* @__PURE__ */ new Set(["Sort", "Incremental Sort"]);
  var JOIN_KEYS = [EXPLAIN.hashCond, EXPLAIN.mergeCond, EXPLAIN.joinFilter];
  function planScans(plan) {
    const facts = { scans: [], sortsUnderLimit: [], joins: [] };
    const root = rootPlan(plan);
    if (!root) return facts;
    const pendingJoins = [];
    const visit = (node) => {
      const nodeType = str(node, EXPLAIN.nodeType) ?? "";
      const scan2 = tableScan(node, nodeType);
      if (scan2) facts.scans.push(scan2);
      for (const key of JOIN_KEYS) {
        const condition = str(node, key);
        if (condition && !nodeType.endsWith("Scan")) pendingJoins.push({ nodeType, key, condition });
      }
      if (nodeType === "Limit") {
        const sort = sortBelow(node);
        if (sort) facts.sortsUnderLimit.push({ ...sort, limitRows: num(node, EXPLAIN.planRows) ?? 0 });
      }
      children(node).forEach(visit);
    };
    visit(root);
    for (const join of pendingJoins) {
      const relations = facts.scans.filter((s) => mentionsAlias(join.condition, s.alias)).map(({ schema, relation, alias }) => ({ schema, relation, alias }));
      facts.joins.push({ ...join, relations: dedupeRelations(relations) });
    }
    return facts;
  }
  function tableScan(node, nodeType) {
    const relation = str(node, EXPLAIN.relationName);
    const schema = str(node, EXPLAIN.schema);
    if (!relation || !schema || !nodeType.endsWith("Scan") || CATALOG_SCHEMAS.includes(schema)) return null;
    const scan2 = {
      schema,
      relation,
      alias: str(node, EXPLAIN.alias) ?? relation,
      nodeType,
      planRows: num(node, EXPLAIN.planRows) ?? 0,
      totalCost: num(node, EXPLAIN.totalCost) ?? 0
    };
    const optional = {
      indexName: str(node, EXPLAIN.indexName),
      filter: str(node, EXPLAIN.filter),
      indexCond: str(node, EXPLAIN.indexCond) ?? bitmapIndexConds(node),
      recheckCond: str(node, EXPLAIN.recheckCond),
      output: Array.isArray(node[EXPLAIN.output]) ? node[EXPLAIN.output].filter((o) => typeof o === "string") : void 0,
      rowsRemovedByFilter: num(node, EXPLAIN.rowsRemovedByFilter),
      actualRows: num(node, EXPLAIN.actualRows)
    };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== void 0) scan2[key] = value;
    }
    return scan2;
  }
  function bitmapIndexConds(node) {
    if (str(node, EXPLAIN.nodeType) !== "Bitmap Heap Scan") return void 0;
    const conds = [];
    const collect = (n) => {
      const type = str(n, EXPLAIN.nodeType);
      if (type === "BitmapOr") return;
      const cond = str(n, EXPLAIN.indexCond);
      if (type === "Bitmap Index Scan" && cond) conds.push(cond);
      children(n).forEach(collect);
    };
    children(node).forEach(collect);
    if (conds.length === 0) return void 0;
    return conds.length === 1 ? conds[0] : `(${conds.join(" AND ")})`;
  }
  function sortBelow(limit) {
    let node = children(limit)[0];
    while (node && ORDER_PRESERVING.has(str(node, EXPLAIN.nodeType) ?? "")) node = children(node)[0];
    if (!node || !SORTS.has(str(node, EXPLAIN.nodeType) ?? "")) return null;
    const keys = node[EXPLAIN.sortKey];
    if (!Array.isArray(keys)) return null;
    return { keys: keys.filter((k) => typeof k === "string").map(sortKey), overAggregate: hasAggregate(node) };
  }
  var AGGREGATING = /* @__PURE__ */ new Set(["Aggregate", "WindowAgg", "Group", "Unique", "SetOp"]);
  function hasAggregate(node) {
    return children(node).some((child) => AGGREGATING.has(str(child, EXPLAIN.nodeType) ?? "") || hasAggregate(child));
  }
  function sortKey(text) {
    let rest = text.trim();
    let descending = false;
    let nulls;
    const suffix = /\s+(ASC|DESC|NULLS FIRST|NULLS LAST|USING \S+)$/;
    for (let m = suffix.exec(rest); m; m = suffix.exec(rest)) {
      if (m[1] === "DESC" || m[1] === "USING >") descending = true;
      if (m[1] === "NULLS FIRST") nulls = true;
      if (m[1] === "NULLS LAST") nulls = false;
      rest = rest.slice(0, m.index);
    }
    const operand = parseOperand(rest);
    return {
      text,
      alias: operand?.alias ?? null,
      column: operand?.column ?? null,
      ...operand?.expression ? { expression: operand.expression } : {},
      descending,
      nullsFirst: nulls ?? descending
    };
  }
  function mentionsAlias(condition, alias) {
    const bare = /^[a-z_][a-z0-9_$]*$/.test(alias);
    const quoted = `"${alias.replace(/"/g, '""')}".`;
    if (condition.includes(quoted)) return true;
    if (!bare) return false;
    const re = new RegExp(`(^|[^A-Za-z0-9_$."])${alias.replace(/\$/g, "\\$")}\\.`);
    return re.test(condition);
  }
  function dedupeRelations(relations) {
    const seen = /* @__PURE__ */ new Set();
    return relations.filter((r) => {
      const k = `${r.schema}\0${r.relation}\0${r.alias}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }

  // plv8/advisor/candidates/access-methods.ts
  var JSONB_OPERATORS = /* @__PURE__ */ new Set(["@>", "?", "?|", "?&", "@?"]);
  var ARRAY_OPERATORS = /* @__PURE__ */ new Set(["@>", "<@", "&&"]);
  var PATTERN_OPERATORS = /* @__PURE__ */ new Set(["~~", "~~*", "~", "~*"]);
  var GIST_OPERATORS = /* @__PURE__ */ new Set(["&&", "@>", "<@", "<<", ">>", "&<", "&>", "-|-"]);
  var GEOMETRIC_TYPES = /* @__PURE__ */ new Set(["point", "box", "polygon", "circle", "lseg", "path", "inet", "cidr"]);
  var TRIGRAM_OPCLASS = "gin_trgm_ops";
  function accessMethodCandidates(atoms) {
    const out = [];
    for (const atom of atoms) {
      if (atom.kind !== "operator") continue;
      const key = atom.column !== null ? { column: atom.column } : { expression: atom.expression ?? "" };
      const target = atom.column ?? atom.expression ?? "";
      const type = castType(atom.constant ?? "");
      const why = `${target} ${atom.operator} … needs`;
      if (JSONB_OPERATORS.has(atom.operator) && (type === "jsonb" || atom.operator !== "@>")) {
        const opclass = atom.operator === "@>" ? { opclass: "jsonb_path_ops" } : {};
        out.push({ keys: [{ ...key, ...opclass }], method: "gin", uncertainty: "access-method", reason: `${why} a GIN index` });
      } else if (ARRAY_OPERATORS.has(atom.operator) && type?.endsWith("[]")) {
        out.push({ keys: [key], method: "gin", uncertainty: "access-method", reason: `${why} a GIN index (array)` });
      } else if (atom.operator === "@@") {
        out.push({ keys: [key], method: "gin", uncertainty: "access-method", reason: `${why} a GIN index (full-text search)` });
      } else if (PATTERN_OPERATORS.has(atom.operator)) {
        out.push({ keys: [{ ...key, opclass: TRIGRAM_OPCLASS }], method: "gin", uncertainty: "access-method", reason: `${why} a trigram GIN index (pg_trgm)` });
      } else if (GIST_OPERATORS.has(atom.operator) && type !== void 0 && (type.endsWith("range") || GEOMETRIC_TYPES.has(type))) {
        out.push({ keys: [key], method: "gist", uncertainty: "access-method", reason: `${why} a GiST index (${type})` });
      }
    }
    return out;
  }
  function castType(constant) {
    const m = /::([a-z_ ]+(?:\[\])?)\)*$/.exec(constant.trim());
    return m ? m[1].trim() : void 0;
  }

  // plv8/advisor/candidates/sort-keys.ts
  function sortUnderLimitOn(sorts, alias) {
    return sorts.find(
      (s) => s.keys.length > 0 && s.keys.every((k) => k.alias === alias && (k.column !== null || k.expression !== void 0 && !s.overAggregate))
    );
  }
  function indexOrder(sortKeys) {
    const mirror = sortKeys[0]?.descending === true;
    return sortKeys.map((s) => {
      const descending = mirror ? !s.descending : s.descending;
      const nullsFirst = mirror ? !s.nullsFirst : s.nullsFirst;
      return { ...descending ? { descending: true } : {}, ...nullsFirst !== descending ? { nullsFirst } : {} };
    });
  }

  // plv8/advisor/candidates/composite-keys.ts
  var EQUALITY_KINDS = /* @__PURE__ */ new Set(["eq", "in", "is_null", "bool"]);
  var RANGE_KINDS = /* @__PURE__ */ new Set(["range", "prefix", "not_null"]);
  function sameKey(key, atom) {
    return atom.column !== null ? key.column === atom.column : key.expression === atom.expression;
  }
  function compositeKeys(atoms, sortKeys) {
    const keys = [];
    const find = (k) => keys.find((x) => sameKey(x, k));
    const keyOf = (a) => a.column !== null ? { column: a.column } : { expression: a.expression ?? "" };
    for (const kind of EQUALITY_KINDS) for (const a of atoms) if (a.kind === kind && !find(a)) keys.push(keyOf(a));
    const range = atoms.find((a) => RANGE_KINDS.has(a.kind));
    if (range && !find(range)) keys.push(keyOf(range));
    const order = indexOrder(sortKeys);
    sortKeys.forEach((s, n) => {
      const existing = find(s);
      const wanted = order[n];
      if (existing === void 0) keys.push({ ...keyOf(s), ...wanted });
      else if (!atoms.some((a) => EQUALITY_KINDS.has(a.kind) && sameKey(existing, a))) Object.assign(existing, wanted);
    });
    return keys;
  }

  // plv8/advisor/candidates/from-plan.ts
  function candidatesFromPlan(plan) {
    const facts = planScans(plan);
    const out = [];
    const seen = /* @__PURE__ */ new Set();
    const add = (c) => {
      if (c.keys.length === 0) return;
      const uncertain = c.uncertainty ?? (c.keys.some((k) => k.expression !== void 0) ? "expression" : void 0);
      const id = candidateId(c);
      if (seen.has(id)) return;
      seen.add(id);
      out.push(uncertain === void 0 ? c : { ...c, uncertainty: uncertain });
    };
    const joinPairs = [];
    const joinSides = [];
    for (const join of facts.joins) {
      const analysis = analyzeCondition(join.condition);
      joinPairs.push(...analysis.joins);
      joinSides.push(...analysis.joinSides);
    }
    for (const scan2 of facts.scans) {
      const atoms = [];
      let unread = false;
      for (const condition of [scan2.indexCond, scan2.filter]) {
        if (!condition) continue;
        const analysis = analyzeCondition(condition);
        atoms.push(...analysis.atoms.filter((a) => a.alias === null || a.alias === scan2.alias));
        joinPairs.push(...analysis.joins);
        joinSides.push(...analysis.joinSides);
        if (analysis.skipped.length > 0 || analysis.joins.length > 0) unread = true;
      }
      const btreeAtoms = atoms.filter((a) => a.kind !== "operator");
      const where = describeScan(scan2, atoms);
      const on = { schema: scan2.schema, table: scan2.relation };
      const sort = sortUnderLimitOn(facts.sortsUnderLimit, scan2.alias);
      const composite = compositeKeys(btreeAtoms, sort?.keys ?? []);
      const ordered = sort !== void 0 ? { ordered: true } : {};
      const equalityPrefix = composite.filter((k) => btreeAtoms.some((a) => EQUALITY_KINDS.has(a.kind) && sameKey(k, a))).length;
      const sortNote = sort ? `; Sort on ${sort.keys.map((k) => k.text).join(", ")} under a Limit` : "";
      if (composite.length > 1 || sort && composite.length > 0) {
        add({ ...on, keys: composite, equalityPrefix, ...ordered, reason: `${where}${sortNote}` });
        const pattern = withPatternOps(composite, btreeAtoms);
        if (pattern) add({ ...on, keys: pattern, equalityPrefix, ...ordered, reason: `${where}${sortNote}; LIKE prefix through text_pattern_ops` });
      }
      const lead = composite.length > 0 ? composite : [];
      const covering = includeColumns(scan2, lead, atoms, unread);
      if (covering.length > 0) {
        add({ ...on, keys: lead, include: covering, equalityPrefix, ...ordered, scanRows: scan2.planRows, reason: `${where}${sortNote}; INCLUDE ${covering.map(quoteIdent).join(", ")} so an index-only scan can answer` });
      }
      for (const atom of btreeAtoms) {
        const test = constantTest(atom);
        if (test === null || atom.column === null) continue;
        const rest = composite.filter((k) => k.column !== atom.column);
        const inPrefix = atoms.some((a) => a.column === atom.column && EQUALITY_KINDS.has(a.kind));
        add({
          ...on,
          keys: rest.length > 0 ? rest : [{ column: atom.column }],
          equalityPrefix: rest.length > 0 ? equalityPrefix - (inPrefix ? 1 : 0) : 1,
          ...ordered,
          predicate: test.predicate,
          predicateColumn: atom.column,
          predicateKind: test.kind,
          reason: `${where}${sortNote}; partial index WHERE ${test.predicate}`
        });
      }
      for (const atom of btreeAtoms) {
        if (atom.column === null) continue;
        add({ ...on, keys: [{ column: atom.column }], reason: `${where}; column ${quoteIdent(atom.column)} (${atom.kind})` });
        if (atom.kind === "prefix") add({ ...on, keys: [{ column: atom.column, opclass: PATTERN_OPS }], reason: `${where}; column ${quoteIdent(atom.column)} (LIKE prefix through text_pattern_ops)` });
      }
      for (const atom of btreeAtoms) {
        if (atom.expression === void 0) continue;
        add({ ...on, keys: [{ expression: atom.expression }], reason: `${where}; expression ${atom.expression} (${atom.kind})` });
        if (atom.kind === "prefix") add({ ...on, keys: [{ expression: atom.expression, opclass: PATTERN_OPS }], reason: `${where}; expression ${atom.expression} (LIKE prefix through text_pattern_ops)` });
      }
      for (const candidate of accessMethodCandidates(atoms)) add({ ...on, ...candidate, reason: `${where}; ${candidate.reason}` });
    }
    for (const scan2 of facts.scans) {
      for (const pair of joinPairs) {
        for (const ref of [pair.left, pair.right]) {
          if (ref.alias !== scan2.alias) continue;
          add({ schema: scan2.schema, table: scan2.relation, keys: [{ column: ref.column }], reason: `${scan2.nodeType} on ${tableName(scan2)} joined on ${pair.text}` });
        }
      }
      for (const side of joinSides) {
        if (side.alias !== scan2.alias) continue;
        const key = side.column !== null ? { column: side.column } : { expression: side.expression ?? "" };
        add({ schema: scan2.schema, table: scan2.relation, keys: [key], reason: `${scan2.nodeType} on ${tableName(scan2)} joined on ${side.text}` });
      }
    }
    return out;
  }
  function candidateId(c) {
    return JSON.stringify([
      c.schema,
      c.table,
      c.method ?? "btree",
      c.keys.map((k) => [k.column ?? null, k.expression ?? null, k.descending ?? false, k.nullsFirst ?? null, k.opclass ?? null]),
      c.include ?? [],
      c.predicate ?? null
    ]);
  }
  function constantTest(atom) {
    if (atom.column === null) return null;
    const column = quoteIdent(atom.column);
    switch (atom.kind) {
      case "is_null":
        return { predicate: `${column} IS NULL`, kind: "null-test" };
      case "not_null":
        return { predicate: `${column} IS NOT NULL`, kind: "null-test" };
      case "bool":
        return { predicate: atom.constant === "false" ? `NOT ${column}` : column, kind: "bool" };
      case "eq":
      case "in":
        if (atom.constant === void 0 || atom.constant.includes("$")) return null;
        return { predicate: atom.kind === "eq" ? `${column} = ${atom.constant}` : `${column} = ANY (${atom.constant})`, kind: "value" };
      default:
        return null;
    }
  }
  var PATTERN_OPS = "text_pattern_ops";
  function withPatternOps(keys, atoms) {
    const prefix = atoms.find((a) => a.kind === "prefix");
    if (!prefix) return null;
    const at = keys.findIndex((k) => prefix.column !== null ? k.column === prefix.column : k.expression === prefix.expression);
    if (at < 0) return null;
    return keys.map((k, n) => n === at ? { ...k, opclass: PATTERN_OPS } : k);
  }
  var MAX_INCLUDE = 3;
  var SYSTEM_COLUMNS = /* @__PURE__ */ new Set(["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"]);
  function includeColumns(scan2, keys, atoms, unread) {
    if (keys.length === 0 || unread || !scan2.output || scan2.output.length === 0) return [];
    if (atoms.some((a) => a.column === null)) return [];
    const wanted = [];
    for (const item of scan2.output) {
      const refs = columnsIn(item);
      if (refs === null || refs.length === 0) return [];
      for (const ref of refs) {
        if (ref.alias !== null && ref.alias !== scan2.alias || SYSTEM_COLUMNS.has(ref.column)) return [];
        wanted.push(ref.column);
      }
    }
    for (const atom of atoms) if (atom.column !== null) wanted.push(atom.column);
    const extra = [...new Set(wanted)].filter((column) => !keys.some((k) => k.column === column));
    return extra.length > 0 && extra.length <= MAX_INCLUDE ? extra : [];
  }
  function describeScan(scan2, atoms) {
    let text = `${scan2.nodeType} on ${tableName(scan2)}`;
    if (scan2.rowsRemovedByFilter !== void 0 && scan2.actualRows !== void 0 && scan2.rowsRemovedByFilter + scan2.actualRows > 0) {
      text += ` reads ${scan2.rowsRemovedByFilter + scan2.actualRows} rows to return ${scan2.actualRows}`;
    } else if (scan2.nodeType === "Seq Scan") {
      text += ` reads the whole table to return about ${scan2.planRows} rows (planner estimate)`;
    } else {
      text += ` returns about ${scan2.planRows} rows at a cost of ${scan2.totalCost} (planner estimates)`;
    }
    if (atoms.length > 0) {
      const parts = atoms.map((a) => {
        const target = a.column !== null ? quoteIdent(a.column) : a.expression ?? "?";
        if (a.kind === "is_null" || a.kind === "not_null") return `${target} ${a.operator}`;
        if (a.kind === "bool") return a.constant === "false" ? `NOT ${target}` : target;
        return a.kind === "in" ? `${target} = ANY (${a.constant ?? ""})` : `${target} ${a.operator} ${a.constant ?? ""}`;
      });
      text += `; ${scan2.filter && !scan2.indexCond ? "filter" : "condition"} ${parts.join(" AND ")}`;
    }
    return text;
  }
  function tableName(scan2) {
    const name = `${quoteIdent(scan2.schema)}.${quoteIdent(scan2.relation)}`;
    return scan2.alias !== scan2.relation ? `${name} as ${quoteIdent(scan2.alias)}` : name;
  }

  // plv8/advisor/candidates/or-arms.ts
  function indexSetsFromPlan(plan) {
    const sets = [];
    for (const scan2 of planScans(plan).scans) {
      const mine = (a) => a.alias === null || a.alias === scan2.alias;
      for (const condition of [scan2.filter, scan2.recheckCond ?? scan2.indexCond]) {
        if (!condition) continue;
        const analysis = analyzeCondition(condition);
        const anded = analysis.atoms.filter((a) => mine(a) && a.kind !== "operator");
        for (const group of analysis.ors) {
          if (!group.arms.every((arm) => arm.every((a) => mine(a) && a.kind !== "operator"))) continue;
          const set = group.arms.map((arm, n) => {
            const atoms = [...anded, ...arm];
            const keys = compositeKeys(atoms, []);
            return {
              schema: scan2.schema,
              table: scan2.relation,
              keys,
              equalityPrefix: keys.filter((k) => atoms.some((a) => EQUALITY_KINDS.has(a.kind) && sameKey(k, a))).length,
              reason: `${scan2.nodeType} on ${quoteIdent(scan2.schema)}.${quoteIdent(scan2.relation)} tests ${group.text}: arm ${n + 1} of ${group.arms.length}, one index per arm for a BitmapOr`
            };
          });
          if (new Set(set.map((c) => JSON.stringify(c.keys))).size === set.length) sets.push(set);
        }
      }
    }
    return sets;
  }

  // plv8/advisor/candidates/unjudged.ts
  var UNJUDGED_MIN_BYTES = 1024 * 1024;
  var OPCLASS_SQL = `select exists (select 1 from pg_opclass c join pg_am m on m.oid = c.opcmethod where c.opcname = $1 and m.amname = $2) as present`;
  function* methodAvailable(candidate) {
    for (const key of candidate.keys) {
      if (key.opclass === void 0) continue;
      const rows = yield { sql: OPCLASS_SQL, params: [key.opclass, candidate.method ?? "btree"] };
      if (rows[0]?.present !== true) return false;
    }
    return true;
  }
  function scanShare(plans2, table, tables, costBefore) {
    if (!(costBefore > 0)) return 0;
    let share = 0;
    for (const plan of plans2) {
      let cost = 0;
      for (const scan2 of planScans(plan).scans) {
        const root = tables.get(`${scan2.schema}.${scan2.relation}`);
        const onTable = root ? root.schema === table.schema && root.table === table.table : scan2.schema === table.schema && scan2.relation === table.table;
        if (onTable) cost += scan2.totalCost;
      }
      share = Math.max(share, Math.min(1, cost / costBefore));
    }
    return share;
  }

  // plv8/catalog/column-selectivity.ts
  var DISTINCT_SQL = `
select distinct on (attname) attname::text as column_name, n_distinct::float8 as n_distinct
  from pg_stats where schemaname = $1 and tablename = $2
 order by attname, inherited desc`;
  function* columnDistinct(table) {
    const rows = yield { sql: DISTINCT_SQL, params: [table.schema, table.table] };
    const out = /* @__PURE__ */ new Map();
    for (const row of rows) {
      const n = Number(row.n_distinct);
      out.set(String(row.column_name), n < 0 ? -n * table.rows : n);
    }
    return out;
  }
  function mostSelectiveFirst(candidate, distinct) {
    const n = candidate.equalityPrefix ?? 0;
    if (n < 2) return candidate;
    const rank = (column) => column !== void 0 ? distinct.get(column) ?? -1 : -1;
    const head = candidate.keys.slice(0, n).map((key, at) => ({ key, at })).sort((a, b) => rank(b.key.column) - rank(a.key.column) || a.at - b.at).map(({ key }) => key);
    return { ...candidate, keys: [...head, ...candidate.keys.slice(n)] };
  }

  // plv8/catalog/existing-indexes.ts
  var EXISTING_INDEXES_SQL = `
select c.oid::regclass::text as name,
       am.amname::text as method,
       i.indisunique as is_unique,
       pg_get_expr(i.indpred, i.indrelid) as predicate,
       array(select coalesce(a.attname::text, '')
               from generate_series(1, i.indnkeyatts) as k(n)
               left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.n - 1] and i.indkey[k.n - 1] > 0
              order by k.n)::text[] as key_columns,
       array(select pg_get_indexdef(i.indexrelid, k.n, true) from generate_series(1, i.indnkeyatts) as k(n) order by k.n)::text[] as key_texts,
       array(select (i.indoption[k.n - 1] & 1) = 1 from generate_series(1, i.indnkeyatts) as k(n) order by k.n)::bool[] as key_desc,
       array(select (i.indoption[k.n - 1] & 2) = 2 from generate_series(1, i.indnkeyatts) as k(n) order by k.n)::bool[] as key_nulls_first,
       array(select case when opc.opcdefault then '' else opc.opcname::text end
               from generate_series(1, i.indnkeyatts) as k(n) join pg_opclass opc on opc.oid = i.indclass[k.n - 1]
              order by k.n)::text[] as key_opclasses,
       array(select a.attname::text from generate_series(i.indnkeyatts + 1, i.indnatts) as k(n)
               join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.n - 1]
              order by k.n)::text[] as include_columns
  from pg_index i
  join pg_class c on c.oid = i.indexrelid
  join pg_am am on am.oid = c.relam
 where i.indrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass
   and i.indisvalid
 order by c.relname collate "C"`;
  function* existingIndexes(schema, table) {
    const rows = yield { sql: EXISTING_INDEXES_SQL, params: [schema, table] };
    return rows.map(toExistingIndex);
  }
  function toExistingIndex(row) {
    const columns = row.key_columns ?? [];
    const texts = row.key_texts ?? [];
    const desc = row.key_desc ?? [];
    const nullsFirst = row.key_nulls_first ?? [];
    const opclasses = row.key_opclasses ?? [];
    return {
      name: String(row.name),
      method: String(row.method),
      keys: columns.map((column, n) => {
        const key = column !== "" ? { column } : { expression: texts[n] ?? "" };
        if (desc[n] === true) key.descending = true;
        if (nullsFirst[n] !== void 0 && nullsFirst[n] !== (desc[n] === true)) key.nullsFirst = nullsFirst[n];
        if (opclasses[n]) key.opclass = opclasses[n];
        return key;
      }),
      include: row.include_columns ?? [],
      predicate: row.predicate === null || row.predicate === void 0 ? null : String(row.predicate),
      unique: row.is_unique === true
    };
  }
  function servedByExisting(candidate, existing) {
    return existing.some(
      (index) => index.method === (candidate.method ?? "btree") && samePredicate(index.predicate, candidate.predicate ?? null) && isLeadingPrefix(candidate.keys, index.keys, candidate.ordered === true) && (candidate.include ?? []).every((column) => index.include.includes(column) || index.keys.some((k) => k.column === column))
    );
  }
  function duplicatesExisting(candidate, existing) {
    return servedByExisting(candidate, existing.filter((index) => index.keys.length === candidate.keys.length));
  }
  function samePredicate(a, b) {
    if (a === null || b === null) return a === b;
    return normalizeExpression(a) === normalizeExpression(b);
  }
  function isLeadingPrefix(keys, of, ordered = true) {
    if (keys.length === 0 || keys.length > of.length) return false;
    let same = true;
    let reversed = true;
    for (let n = 0; n < keys.length; n++) {
      const a = keys[n];
      const b = of[n];
      if (!sameTarget(a, b)) return false;
      const [aDesc, aNulls] = ordering(a);
      const [bDesc, bNulls] = ordering(b);
      if (aDesc !== bDesc || aNulls !== bNulls) same = false;
      if (aDesc === bDesc || aNulls === bNulls) reversed = false;
    }
    return !ordered || same || reversed;
  }
  function ordering(key) {
    const descending = key.descending ?? false;
    return [descending, key.nullsFirst ?? descending];
  }
  function sameTarget(a, b) {
    if ((a.opclass ?? "") !== (b.opclass ?? "")) return false;
    if (a.column !== void 0 || b.column !== void 0) return a.column === b.column;
    return normalizeExpression(a.expression ?? "") === normalizeExpression(b.expression ?? "");
  }
  function normalizeExpression(text) {
    let t = text.replace(/\s+/g, "");
    while (t.startsWith("(") && t.endsWith(")") && balanced(t.slice(1, -1))) t = t.slice(1, -1);
    return t;
  }
  function balanced(text) {
    let depth = 0;
    for (const ch of text) {
      if (ch === "(") depth++;
      else if (ch === ")" && --depth < 0) return false;
    }
    return depth === 0;
  }

  // plv8/engine/guard/guard-sql.ts
  var ROWS_LIMIT = 2e5;
  var GUARD_ROLLBACK_STATE = "OSGRD";
  var GUARD_FUNCTIONS = [
    "pg_temp.optischema_guarded_plan(text, text, text, text, text, text[])",
    "pg_temp.optischema_guard_role(text)",
    "pg_temp.optischema_guard_close()",
    "pg_temp.optischema_unsafe_reasons(oid)",
    "pg_temp.optischema_hypo_create(text)",
    "pg_temp.optischema_hypo_drop(oid)",
    "pg_temp.optischema_hypo_size(oid)",
    "pg_temp.optischema_hypo_reset()",
    "pg_temp.optischema_hypo_plans(text[], float8, text, text, jsonb)"
  ];
  var HARMLESS_NODES = [
    "QUERY",
    "RANGETBLENTRY",
    "ALIAS",
    "FROMEXPR",
    "JOINEXPR",
    "RANGETBLREF",
    "RANGETBLFUNCTION",
    "TARGETENTRY",
    "VAR",
    "CONST",
    "PARAM",
    "FUNCEXPR",
    "NAMEDARGEXPR",
    "OPEXPR",
    "DISTINCTEXPR",
    "NULLIFEXPR",
    "SCALARARRAYOPEXPR",
    "ROWCOMPAREEXPR",
    "BOOLEXPR",
    "SUBLINK",
    "FIELDSELECT",
    "RELABELTYPE",
    "COERCEVIAIO",
    "ARRAYCOERCEEXPR",
    "CONVERTROWTYPEEXPR",
    "COLLATEEXPR",
    "CASEEXPR",
    "CASEWHEN",
    "CASETESTEXPR",
    "ARRAYEXPR",
    "ROWEXPR",
    "COALESCEEXPR",
    "MINMAXEXPR",
    "SQLVALUEFUNCTION",
    "NULLTEST",
    "BOOLEANTEST",
    "AGGREF",
    "GROUPINGFUNC",
    "WINDOWFUNC",
    "WINDOWCLAUSE",
    "SORTGROUPCLAUSE",
    "GROUPINGSET",
    "COMMONTABLEEXPR",
    "SETOPERATIONSTMT",
    "SUBSCRIPTINGREF"
  ];
  var SQL_RUNNING_FUNCTIONS = [
    "query_to_xml",
    "query_to_xmlschema",
    "query_to_xml_and_xmlschema",
    "cursor_to_xml",
    "cursor_to_xmlschema",
    "table_to_xml",
    "table_to_xmlschema",
    "table_to_xml_and_xmlschema",
    "schema_to_xml",
    "schema_to_xmlschema",
    "schema_to_xml_and_xmlschema",
    "database_to_xml",
    "database_to_xmlschema",
    "database_to_xml_and_xmlschema",
    "ts_stat"
  ];
  var sqlArray = (items) => `array[${items.map((item) => `'${item}'`).join(", ")}]`;
  var UNSAFE_REASONS_SQL = `
create or replace function pg_temp.optischema_unsafe_reasons(p_view oid) returns text[]
language sql stable set search_path = pg_catalog, pg_temp as $reasons$
with recursive rels(relid) as (
  select p_view
  union
  select x.relid
    from rels,
         lateral (select m[1]::oid as relid
                    from pg_rewrite rw, regexp_matches(rw.ev_action::text, ':relid (\\d+)', 'g') m
                   where rw.ev_class = rels.relid and rw.ev_type = '1'
                  union all
                  select m[1]::oid
                    from pg_policy p, regexp_matches(coalesce(p.polqual::text, '') || ' ' || coalesce(p.polwithcheck::text, ''), ':relid (\\d+)', 'g') m
                   where p.polrelid = rels.relid
                  union all
                  select i.inhrelid from pg_inherits i where i.inhparent = rels.relid) x
), trees(tree) as (
  select rw.ev_action::text from rels join pg_rewrite rw on rw.ev_class = rels.relid and rw.ev_type = '1'
  union all
  select coalesce(p.polqual::text, '') || ' ' || coalesce(p.polwithcheck::text, '') from rels join pg_policy p on p.polrelid = rels.relid
)
select coalesce(array_agg(distinct r.reason order by r.reason), '{}') from (
  select format('reads %s, which is %s', c.oid::regclass,
                case c.relkind when 'f' then 'a foreign table' when 'S' then 'a sequence' else 'not a table or view' end) as reason
    from rels join pg_class c on c.oid = rels.relid
   where c.relkind not in ('r', 'p', 'v', 'm')
  union all
  select format('contains a %s expression', lower(m[1]))
    from trees, regexp_matches(trees.tree, '\\{([A-Z_]+)', 'g') m
   where m[1] <> all (${sqlArray(HARMLESS_NODES)})
  union all
  select format('calls %s, which is %s', p.oid::regprocedure,
                case when p.oid >= 16384 then 'not built in' when p.provolatile = 'v' then 'volatile' else 'a function that runs SQL' end)
    from trees, regexp_matches(trees.tree, ':(?:funcid|opfuncid|winfnoid|aggfnoid|hashfuncid|negfuncid) (\\d+)', 'g') m
    join pg_proc p on p.oid = m[1]::oid
   where p.oid >= 16384 or p.provolatile = 'v' or p.proname = any (${sqlArray(SQL_RUNNING_FUNCTIONS)})
  union all
  select format('uses the operator %s, which is not built in', o.oid::regoperator)
    from trees,
         lateral (select m[1]::oid as oid from regexp_matches(trees.tree, ':(?:opno|eqop|sortop) (\\d+)', 'g') m
                  union all
                  select unnest(string_to_array(btrim(m[1]), ' '))::oid from regexp_matches(trees.tree, ':opnos \\(o([ 0-9]*)\\)', 'g') m) op
    join pg_operator o on o.oid = op.oid
   where o.oid >= 16384
  union all
  select format('casts to the domain %s, whose constraints would run', t.oid::regtype)
    from trees, regexp_matches(trees.tree, ':resulttype (\\d+)', 'g') m
    join pg_type t on t.oid = m[1]::oid
   where t.typtype = 'd'
  union all
  select 'writes or locks rows'
    from trees
   where trees.tree ~ ':commandType [02-9]' or trees.tree ~ ':hasModifyingCTE true' or trees.tree ~ ':hasForUpdate true'
) r
$reasons$`;
  var DEFINER_BODY = `
declare
  v_pinned constant text := 'pg_catalog, pg_temp';
  v_row record;
  v_plan json;
  v_types text[];
  v_sql text;
  v_view text;
  v_reasons text[];
  v_hashes text[] := '{}';
  v_count bigint := 0;
  v_truncated boolean := false;
  v_ordered text;
  v_multiset text;
begin
  if p_kind not in ('explain', 'generic', 'custom', 'analyze', 'rows') then
    raise exception 'unknown planning kind %', p_kind using errcode = '22023';
  end if;
  if p_kind in ('analyze', 'rows') then
    v_view := 'optischema_check_' || md5(p_prepared);
    -- Parse analysis only: the view is made, not run. As a subquery, so a column of a pseudo-type
    -- (select pg_sleep(1)) or a duplicate name does not stop the view from being made.
    v_sql := format('create temporary view %I as select from (%s) as optischema_checked', v_view, p_check_text);
    perform set_config('search_path', p_search_path, true);
    execute v_sql;
    perform pg_catalog.set_config('search_path', v_pinned, true);
    v_reasons := pg_temp.optischema_unsafe_reasons(to_regclass('pg_temp.' || quote_ident(v_view))::oid);
    if cardinality(v_reasons) > 0 then
      return jsonb_build_object('refused', to_jsonb(v_reasons));
    end if;
  end if;
  perform set_config('transaction_read_only', 'on', true);
  perform set_config('plan_cache_mode', case when p_kind = 'generic' then 'force_generic_plan' else 'force_custom_plan' end, true);
  if p_kind = 'rows' then
    if p_values is null then
      v_sql := p_statement;
    else
      perform set_config('search_path', p_search_path, true);
      execute format('prepare %I as %s', p_prepared, p_statement);
      perform pg_catalog.set_config('search_path', v_pinned, true);
      v_sql := format('execute %I', p_prepared)
               || case when cardinality(p_values) > 0 then '(' || array_to_string(array(select quote_nullable(v) from unnest(p_values) v), ', ') || ')' else '' end;
    end if;
    -- The author's path is in force while the rows arrive: every call in the loop is qualified.
    perform set_config('search_path', p_search_path, true);
    for v_row in execute v_sql loop
      v_count := v_count operator(pg_catalog.+) 1;
      if v_count operator(pg_catalog.>) ${ROWS_LIMIT} then
        v_truncated := true;
        exit;
      end if;
      v_hashes := pg_catalog.array_append(v_hashes, pg_catalog.md5(v_row::text));
    end loop;
    perform pg_catalog.set_config('search_path', v_pinned, true);
    select md5(string_agg(h, '' order by n)), md5(string_agg(h, '' order by h collate "C")) into v_ordered, v_multiset
      from unnest(v_hashes) with ordinality u(h, n);
    return jsonb_build_object('rows', jsonb_build_object('count', least(v_count, ${ROWS_LIMIT}), 'truncated', v_truncated,
                                                         'ordered', coalesce(v_ordered, ''), 'multiset', coalesce(v_multiset, '')));
  end if;
  if p_kind = 'explain' or (p_kind = 'analyze' and p_values is null) then
    v_sql := case when p_kind = 'explain' then 'explain (verbose, format json) ' else 'explain (analyze, buffers, verbose, format json) ' end || p_statement;
    perform set_config('search_path', p_search_path, true);
    for v_row in execute v_sql loop
      v_plan := v_row."QUERY PLAN";
    end loop;
    perform pg_catalog.set_config('search_path', v_pinned, true);
    return jsonb_build_object('plan', v_plan);
  end if;
  v_sql := format('prepare %I as %s', p_prepared, p_statement);
  perform set_config('search_path', p_search_path, true);
  execute v_sql;
  perform pg_catalog.set_config('search_path', v_pinned, true);
  select s.parameter_types::text[] into v_types from pg_prepared_statements s where s.name = p_prepared;
  if p_kind = 'generic' then
    v_sql := format('explain (verbose, format json) execute %I', p_prepared)
             || case when cardinality(v_types) > 0 then '(' || array_to_string(array_fill('null'::text, array[cardinality(v_types)]), ', ') || ')' else '' end;
  else
    if cardinality(v_types) is distinct from cardinality(p_values) then
      raise exception 'the statement has % parameter(s) but % value(s) were given', coalesce(cardinality(v_types), 0), cardinality(p_values)
        using errcode = '22023';
    end if;
    v_sql := format(case when p_kind = 'custom' then 'explain (verbose, format json) execute %I' else 'explain (analyze, buffers, verbose, format json) execute %I' end, p_prepared)
             || case when cardinality(p_values) > 0 then '(' || array_to_string(array(select quote_nullable(v) from unnest(p_values) v), ', ') || ')' else '' end;
  end if;
  perform set_config('search_path', p_search_path, true);
  for v_row in execute v_sql loop
    v_plan := v_row."QUERY PLAN";
  end loop;
  perform pg_catalog.set_config('search_path', v_pinned, true);
  return jsonb_build_object('plan', v_plan, 'parameterTypes', to_jsonb(coalesce(v_types, '{}')));
end`;
  var GUARD_ROLE_SQL = `
create or replace function pg_temp.optischema_guard_role(p_role text) returns text
language plpgsql volatile set search_path = pg_catalog, pg_temp as $role$
declare
  v_caller constant text := current_user;
  v_saved constant text := current_setting('role');
  v_function constant text := format('pg_temp.%I', 'optischema_plan_as_' || md5(p_role));
  v_signature constant text := v_function || '(text, text, text, text, text, text[])';
begin
  perform set_config('role', p_role, true);
  execute format('drop function if exists %s', v_signature);
  execute format('create function %s(p_search_path text, p_kind text, p_statement text, p_check_text text, p_prepared text, p_values text[]) '
                 'returns jsonb language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as %L',
                 v_function, $definer$${DEFINER_BODY}$definer$);
  execute format('revoke all on function %s from public', v_signature);
  if v_caller <> p_role then
    execute format('grant execute on function %s to %I', v_signature, v_caller);
  end if;
  perform set_config('role', v_saved, true);
  return v_signature;
exception when others then
  perform set_config('role', v_saved, true);
  raise;
end
$role$`;
  var GUARDED_PLAN_SQL = `
create or replace function pg_temp.optischema_guarded_plan(
  p_role text, p_search_path text, p_kind text, p_statement text, p_check_text text, p_values text[]
) returns jsonb language plpgsql volatile set search_path = pg_catalog, pg_temp as $guard$
declare
  v_name constant text := 'optischema_plan_as_' || md5(p_role);
  -- One name for every call: pg_stat_statements records each EXPLAIN EXECUTE as a utility
  -- statement by its text, and a fresh name per call made each one a new entry (thousands per
  -- analysis), evicting the application's own statements once pg_stat_statements.max was reached.
  -- Nothing else can hold the name: the call deallocates whatever it prepared.
  v_prepared constant text := 'optischema_planned_statement';
  v_definer oid;
  v_locks text[];
  v_statements text[];
  v_result jsonb;
  v_done boolean := false;
  v_state text;
  v_message text;
  v_detail text;
  v_hint text;
  v_context text;
  v_lock record;
  v_key bigint;
  v_name_left text;
begin
  -- With standard_conforming_strings off, '\\'' means something else and no lexer can be trusted.
  if current_setting('standard_conforming_strings') <> 'on' then
    raise exception 'OptiSchema plans statements only with standard_conforming_strings on (it is off in this session)'
      using errcode = '55000', hint = 'SET standard_conforming_strings = on; or ALTER DATABASE … SET standard_conforming_strings = on';
  end if;
  select p.oid into v_definer
    from pg_proc p
   where p.pronamespace = pg_my_temp_schema() and p.proname = v_name and p.prosecdef
     and p.proowner = (select r.oid from pg_roles r where r.rolname = p_role);
  if v_definer is null then
    raise exception 'no planning function for role % in this session (it was never made, or was dropped or changed)', p_role
      using errcode = '55000';
  end if;
  select array_agg(format('%s/%s/%s/%s', l.classid, l.objid, l.objsubid, l.mode)) into v_locks
    from pg_locks l where l.locktype = 'advisory' and l.pid = pg_backend_pid();
  if exists (select from pg_prepared_statements s where s.name = v_prepared) then
    execute format('deallocate %I', v_prepared);
  end if;
  select array_agg(s.name) into v_statements from pg_prepared_statements s;
  begin
    if p_kind not in ('analyze', 'rows') then
      perform set_config('transaction_read_only', 'on', true);
    end if;
    execute format('select pg_temp.%I($1, $2, $3, $4, $5, $6)', v_name) into v_result
      using p_search_path, p_kind, p_statement, p_check_text, v_prepared, p_values;
    v_done := true;
    raise sqlstate '${GUARD_ROLLBACK_STATE}';
  exception
    when sqlstate '${GUARD_ROLLBACK_STATE}' then
      if not v_done then
        v_state := '${GUARD_ROLLBACK_STATE}';
        v_message := 'the statement raised the SQLSTATE OptiSchema''s guard uses for itself';
      end if;
    when query_canceled or assert_failure or others then
      get stacked diagnostics v_state = returned_sqlstate, v_message = message_text, v_detail = pg_exception_detail,
                              v_hint = pg_exception_hint, v_context = pg_exception_context;
      -- An error raised inside a function the statement runs (any context line that is not the
      -- guard's own) may carry whatever that function read with the planning role's rights: its
      -- text is withheld. PostgreSQL's own errors (unknown column, syntax, timeout) come with no
      -- such context and are kept as they are.
      if exists (select from regexp_split_to_table(coalesce(v_context, ''), E'
') c
                  where c <> '' and c !~ 'optischema_(plan_as_[0-9a-f]{32}|guarded_plan|hypo_plans)\\(' and c !~ '^SQL statement "') then
        v_message := format('the statement raised an error inside a function it runs (SQLSTATE %s); its message is withheld, '
                            'as it was written by that function, not by PostgreSQL', v_state);
        v_detail := null;
        v_hint := null;
      end if;
  end;
  -- Session-level advisory locks and prepared statements outlive the rollback: undo what the call left.
  for v_lock in
    select l.classid, l.objid, l.objsubid, l.mode from pg_locks l
     where l.locktype = 'advisory' and l.pid = pg_backend_pid()
       and format('%s/%s/%s/%s', l.classid, l.objid, l.objsubid, l.mode) <> all (coalesce(v_locks, '{}'))
  loop
    if v_lock.objsubid = 1 then
      v_key := (v_lock.classid::bigint << 32) | v_lock.objid::bigint;
      if v_lock.mode = 'ShareLock' then
        while pg_advisory_unlock_shared(v_key) loop end loop;
      else
        while pg_advisory_unlock(v_key) loop end loop;
      end if;
    else
      if v_lock.mode = 'ShareLock' then
        while pg_advisory_unlock_shared((v_lock.classid::bigint - case when v_lock.classid::bigint >= 2147483648 then 4294967296 else 0 end)::int4,
                                        (v_lock.objid::bigint - case when v_lock.objid::bigint >= 2147483648 then 4294967296 else 0 end)::int4) loop end loop;
      else
        while pg_advisory_unlock((v_lock.classid::bigint - case when v_lock.classid::bigint >= 2147483648 then 4294967296 else 0 end)::int4,
                                 (v_lock.objid::bigint - case when v_lock.objid::bigint >= 2147483648 then 4294967296 else 0 end)::int4) loop end loop;
      end if;
    end if;
  end loop;
  for v_name_left in select s.name from pg_prepared_statements s where s.name <> all (coalesce(v_statements, '{}')) loop
    execute format('deallocate %I', v_name_left);
  end loop;
  if v_state is not null then
    raise exception using errcode = v_state, message = v_message, detail = coalesce(v_detail, ''), hint = coalesce(v_hint, '');
  end if;
  return v_result;
end
$guard$`;
  var GUARD_CLOSE_SQL = `
create or replace function pg_temp.optischema_guard_close() returns void
language plpgsql volatile set search_path = pg_catalog, pg_temp as $close$
declare
  v_saved constant text := current_setting('role');
  v_fn record;
begin
  for v_fn in
    select p.oid::regprocedure::text as signature, p.proowner::regrole::text as owner
      from pg_proc p where p.pronamespace = pg_my_temp_schema() and p.proname like 'optischema\\_plan\\_as\\_%'
  loop
    perform set_config('role', v_fn.owner, true);
    execute format('drop function if exists %s', v_fn.signature);
  end loop;
  perform set_config('role', v_saved, true);
exception when others then
  perform set_config('role', v_saved, true);
  raise;
end
$close$`;
  var hypopgWrapper = (signature, returns, call) => `
if v_hypopg is null then
  create or replace function pg_temp.${signature} returns ${returns}
  language plpgsql volatile set search_path = pg_catalog, pg_temp as $hypo$
  begin
    raise exception 'hypopg is not created in this database' using errcode = '55000', hint = 'CREATE EXTENSION hypopg;';
  end
  $hypo$;
else
  execute format($wrapper$
    create or replace function pg_temp.${signature} returns ${returns}
    language plpgsql volatile set search_path = pg_catalog, pg_temp as $hypo$
    begin
      ${call}
    end
    $hypo$$wrapper$, v_hypopg);
end if`;
  var HYPOPG_SQL = [
    hypopgWrapper(
      "optischema_hypo_create(p_ddl text)",
      "table (indexrelid oid, indexname text)",
      "return query select h.indexrelid, h.indexname from %1$I.hypopg_create_index(p_ddl) h;"
    ),
    hypopgWrapper("optischema_hypo_drop(p_index oid)", "boolean", "return %1$I.hypopg_drop_index(p_index);"),
    hypopgWrapper("optischema_hypo_size(p_index oid)", "bigint", "return %1$I.hypopg_relation_size(p_index);"),
    hypopgWrapper("optischema_hypo_reset()", "void", "perform %1$I.hypopg_reset();")
  ];
  var HYPO_PLANS_SQL = `
create or replace function pg_temp.optischema_hypo_plans(p_ddls text[], p_max_bytes float8, p_role text, p_search_path text, p_requests jsonb)
returns jsonb language plpgsql volatile set search_path = pg_catalog, pg_temp as $plans$
declare
  v_ddl text;
  v_index record;
  v_oids oid[] := '{}';
  v_indexes jsonb := '[]';
  v_results jsonb := '[]';
  v_request jsonb;
  v_values text[];
  v_fits boolean := true;
begin
  begin
    foreach v_ddl in array p_ddls loop
      select h.indexrelid, h.indexname, pg_temp.optischema_hypo_size(h.indexrelid) as bytes into v_index
        from pg_temp.optischema_hypo_create(v_ddl) h;
      v_oids := v_oids || v_index.indexrelid;
      v_indexes := v_indexes || jsonb_build_array(jsonb_build_object('indexrelid', v_index.indexrelid, 'name', v_index.indexname, 'bytes', v_index.bytes));
      if p_max_bytes is not null and v_index.bytes > p_max_bytes then
        v_fits := false;
      end if;
    end loop;
    if v_fits then
      for v_request in select r.value from pg_catalog.jsonb_array_elements(p_requests) with ordinality r(value, n) order by r.n loop
        v_values := case when jsonb_typeof(v_request->'values') = 'array' then array(select v.value #>> '{}' from pg_catalog.jsonb_array_elements(v_request->'values') with ordinality v(value, n) order by v.n) end;
        -- On one line: the guard withholds an error's message when a line of its context is not its own.
        v_results := v_results || jsonb_build_array(pg_temp.optischema_guarded_plan(p_role, p_search_path, v_request->>'kind', v_request->>'statement', null, v_values));
      end loop;
    end if;
  exception when others then
    -- hypopg's indexes live in the backend, not in the subtransaction this block rolls back.
    perform pg_temp.optischema_hypo_drop(o) from unnest(v_oids) o;
    raise;
  end;
  perform pg_temp.optischema_hypo_drop(o) from unnest(v_oids) o;
  return jsonb_build_object('indexes', v_indexes, 'results', case when v_fits then v_results end);
end
$plans$`;
  var GUARD_REVOKE_SQL = `revoke all on function ${GUARD_FUNCTIONS.filter((f) => !f.includes("unsafe_reasons")).join(", ")} from public`;
  var GUARD_INSTALL_SQL = `do $install$
declare
  v_hypopg constant text := (select n.nspname from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace where e.extname = 'hypopg');
begin
${[UNSAFE_REASONS_SQL, GUARD_ROLE_SQL, GUARDED_PLAN_SQL, GUARD_CLOSE_SQL, ...HYPOPG_SQL, HYPO_PLANS_SQL, GUARD_REVOKE_SQL].map((sql) => `${sql.trim()};`).join("\n")}
end
$install$`;
  var GUARD_DROP_SQL = `drop function if exists ${GUARD_FUNCTIONS.join(", ")}`;

  // plv8/engine/guard/guarded-plan.ts
  function* openGuard(planners) {
    const mode = yield { sql: `select current_setting('standard_conforming_strings') as mode`, params: [] };
    if (mode[0]?.mode !== "on") {
      throw new Error("OptiSchema plans statements only with standard_conforming_strings on; it is off in this session: SET standard_conforming_strings = on");
    }
    yield { sql: GUARD_INSTALL_SQL, params: [], command: true };
    const roles = [...new Set(planners.map((p) => p.role))].sort();
    if (roles.length > 0) yield { sql: "select pg_temp.optischema_guard_role(r) as planning_function from unnest($1::text[]) r", params: [roles] };
  }
  function* closeGuard() {
    const installed = yield { sql: `select to_regprocedure('pg_temp.optischema_guard_close()') is not null as installed`, params: [] };
    if (installed[0]?.installed === true) yield { sql: "select pg_temp.optischema_guard_close() is null as closed", params: [] };
    yield { sql: GUARD_DROP_SQL, params: [], command: true };
  }
  function* guardedPlan(planner, kind, statement, extra = {}) {
    let rows;
    try {
      rows = yield {
        sql: "select pg_temp.optischema_guarded_plan($1, $2, $3, $4, $5, $6::text[]) as result",
        params: [planner.role, planner.searchPath, kind, statement, extra.checkText ?? null, extra.values ? [...extra.values] : null]
      };
    } catch (error) {
      throw explainedRefusal(planner, error);
    }
    return guardResult(rows[0]?.result);
  }
  function explainedRefusal(planner, error) {
    if (planner.as !== "analysis" || error?.code !== "42501") return error;
    const explained = new Error(
      `${error.message}: statements of ${planner.author} are planned as ${planner.role}, which may only read; a writing statement is planned with its author's rights, so run the application as a role that is not a superuser (docs/security.md)`,
      { cause: error }
    );
    return Object.assign(explained, { code: "42501" });
  }
  function guardResult(value) {
    const result = typeof value === "string" ? JSON.parse(value) : value;
    if (result === null || typeof result !== "object") throw new Error("the planning guard returned nothing");
    const plan = typeof result.plan === "string" ? JSON.parse(result.plan) : result.plan;
    return { ...result, ...plan === void 0 ? {} : { plan } };
  }

  // plv8/advisor/candidates/partial-predicate.ts
  var MAX_PARTIAL_DISTINCT = 100;
  var MAX_PARTIAL_SHARE = 0.1;
  var STATUS_CATEGORIES = /* @__PURE__ */ new Set(["B", "E", "S"]);
  var COLUMN_SQL = `
select t.typcategory::text as category,
       (select s.n_distinct::float8 from pg_stats s
         where s.schemaname = $1 and s.tablename = $2 and s.attname = $3
         order by s.inherited desc limit 1) as n_distinct
  from pg_attribute a join pg_type t on t.oid = a.atttypid
 where a.attrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass and a.attname = $3 and not a.attisdropped`;
  function* partialPredicateFits(table, test, planner) {
    if (test.kind === "value") {
      const rows2 = yield { sql: COLUMN_SQL, params: [table.schema, table.table, test.column] };
      const distinct = Number(rows2[0]?.n_distinct ?? NaN);
      if (!(distinct > 0 && distinct <= MAX_PARTIAL_DISTINCT)) return false;
      if (!test.known && !STATUS_CATEGORIES.has(String(rows2[0]?.category ?? ""))) return false;
    }
    const { plan } = yield* guardedPlan(planner, "explain", `SELECT FROM ${quoteIdent(table.schema)}.${quoteIdent(table.table)} WHERE ${test.predicate}`);
    const rows = Number(rootPlan(plan)?.[EXPLAIN.planRows] ?? NaN);
    return table.rows > 0 && rows / table.rows <= MAX_PARTIAL_SHARE;
  }

  // plv8/catalog/table-facts.ts
  var STATISTICS_MISSING = "the table was never analyzed: its rows are the planner's estimate from its pages and its columns have no statistics, so estimates may be far off (run ANALYZE on it)";
  var TABLE_FACTS_SQL = `
with target as (select (quote_ident($1) || '.' || quote_ident($2))::regclass::oid as oid),
     root as (select coalesce(pg_partition_root(target.oid)::oid, target.oid) as oid from target),
     parts as (select coalesce((select array_agg(t.relid::oid) from root, pg_partition_tree(root.oid) t where t.isleaf),
                               (select array[root.oid] from root)) as oids),
     stats as (select sum(s.n_tup_ins) as ins, sum(s.n_tup_upd) as upd, sum(s.n_tup_del) as del, sum(s.n_tup_hot_upd) as hot,
                      sum(s.n_mod_since_analyze) as modified_since_analyze,
                      -- The earliest partition's, and only when every partition has been analyzed.
                      case when bool_and(coalesce(s.last_analyze, s.last_autoanalyze) is not null)
                           then min(greatest(s.last_analyze, s.last_autoanalyze)) end as analyzed_at
                 from parts, pg_stat_user_tables s where s.relid = any (parts.oids)),
     reset as (select coalesce((select d.stats_reset from pg_stat_database d where d.datname = current_database()), pg_postmaster_start_time()) as at)
select n.nspname::text as schema, c.relname::text as name, c.relkind::text as kind,
       (select coalesce(sum(greatest(l.reltuples, 0)), 0) from parts, pg_class l where l.oid = any (parts.oids))::float8 as rows,
       (select coalesce(bool_or(l.reltuples < 0), false) from parts, pg_class l where l.oid = any (parts.oids)) as never_analyzed,
       (select coalesce(sum(pg_table_size(l.oid)), 0) from parts, pg_class l where l.oid = any (parts.oids))::float8 as bytes,
       coalesce(stats.ins, 0)::float8 as inserted, coalesce(stats.upd, 0)::float8 as updated,
       coalesce(stats.del, 0)::float8 as deleted, coalesce(stats.hot, 0)::float8 as hot_updated,
       greatest(extract(epoch from now() - reset.at), 1)::float8 as stats_seconds,
       coalesce(stats.modified_since_analyze, 0)::float8 as modified_since_analyze,
       case when stats.analyzed_at is not null then greatest(extract(epoch from now() - stats.analyzed_at), 1) end::float8 as analyzed_seconds
  from root join pg_class c on c.oid = root.oid join pg_namespace n on n.oid = c.relnamespace, stats, reset`;
  function* tableFacts(schema, table) {
    const rows = yield { sql: TABLE_FACTS_SQL, params: [schema, table] };
    const facts = toTableFacts(rows[0]);
    if (rows[0].never_analyzed !== true) return facts;
    const plan = yield { sql: `explain (format json) select from ${quoteIdent(facts.schema)}.${quoteIdent(facts.table)}`, params: [] };
    const value = plan[0]?.["QUERY PLAN"];
    const parsed2 = typeof value === "string" ? JSON.parse(value) : value;
    const estimate = Number(rootPlan(parsed2)?.[EXPLAIN.planRows] ?? NaN);
    return { ...facts, rows: Number.isFinite(estimate) ? Math.max(facts.rows, estimate) : facts.rows, statisticsMissing: true };
  }
  function toTableFacts(row) {
    const sinceAnalyze = row.analyzed_seconds === null || row.analyzed_seconds === void 0 ? null : Number(row.analyzed_seconds);
    const seconds = sinceAnalyze ?? Number(row.stats_seconds);
    const cumulative = Number(row.inserted) + Number(row.updated) + Number(row.deleted);
    const scale = sinceAnalyze === null ? 1 : cumulative > 0 ? Number(row.modified_since_analyze ?? 0) / cumulative : 0;
    const perSecond = (value) => Number(value) * scale / seconds;
    return {
      schema: String(row.schema),
      table: String(row.name),
      kind: String(row.kind),
      rows: Number(row.rows),
      bytes: Number(row.bytes),
      insertsPerSecond: perSecond(row.inserted),
      updatesPerSecond: perSecond(row.updated),
      deletesPerSecond: perSecond(row.deleted),
      hotUpdatesPerSecond: perSecond(row.hot_updated),
      statsSeconds: seconds
    };
  }

  // plv8/advisor/recommendation/risk.ts
  var GIB = 1024 ** 3;
  function writeOverhead(table) {
    const indexWritesPerSecond = table.insertsPerSecond + Math.max(0, table.updatesPerSecond - table.hotUpdatesPerSecond);
    const hotUpdatesAtRiskPerSecond = table.hotUpdatesPerSecond;
    let summary = `about ${rate(indexWritesPerSecond)} index writes/s (inserts and non-HOT updates over the last ${duration(table.statsSeconds)})`;
    if (hotUpdatesAtRiskPerSecond > 0) summary += `; ${rate(hotUpdatesAtRiskPerSecond)} HOT updates/s stop being HOT if they change an indexed column`;
    return { indexWritesPerSecond, hotUpdatesAtRiskPerSecond, summary };
  }
  function assessRisk(table, overhead) {
    const partitioned = table.kind === "p";
    const writes = overhead.indexWritesPerSecond;
    const build = partitioned ? "a partitioned table cannot be indexed concurrently: writes wait for the build" : "concurrent build";
    const facts = `${build}, ${formatBytes(table.bytes)} table, ${rate(writes)} index writes/s`;
    if (partitioned && table.bytes > GIB || table.bytes > 10 * GIB || writes >= 1e3) return { level: "high", reason: `high: ${facts}` };
    if (partitioned || table.bytes > GIB || writes >= 100) return { level: "medium", reason: `medium: ${facts}` };
    return { level: "low", reason: `low: ${facts}` };
  }
  function formatBytes(bytes) {
    if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
    if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
    if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
    return `${bytes} B`;
  }
  function rate(perSecond) {
    return perSecond >= 10 ? String(Math.round(perSecond)) : String(Math.round(perSecond * 100) / 100);
  }
  function duration(seconds) {
    if (seconds >= 86400) return `${Math.round(seconds / 86400)} d`;
    if (seconds >= 3600) return `${Math.round(seconds / 3600)} h`;
    return `${Math.round(seconds / 60)} min`;
  }

  // plv8/advisor/recommendation/recommendation.ts
  function recommendationFor(candidate, table, cost) {
    const concurrently = table.kind !== "p";
    const improvementPct = Math.round(improvement(cost.before, cost.after) * 10) / 10;
    const overhead = writeOverhead(table);
    const uncertainty = candidate.uncertainty === void 0 ? {} : { uncertainty: { kind: candidate.uncertainty, note: UNCERTAINTY_NOTES[candidate.uncertainty] } };
    return {
      ...uncertainty,
      kind: "index",
      sql: indexDdl(candidate, { concurrently }),
      rollbackSql: rollbackDdl(candidate, { concurrently }),
      table: `${candidate.schema}.${candidate.table}`,
      costBefore: cost.before,
      costAfter: cost.after,
      improvementPct,
      sizeBytes: cost.sizeBytes,
      writeOverhead: overhead,
      risk: assessRisk(table, overhead),
      rationale: `${candidate.reason}; the table has about ${Math.round(table.rows)} rows (${formatBytes(table.bytes)}); estimated by hypopg: cost ${round(cost.before)} → ${round(cost.after)} (−${improvementPct}%), index about ${formatBytes(cost.sizeBytes)}` + (table.statisticsMissing ? `; ${STATISTICS_MISSING}` : "")
    };
  }
  var UNCERTAINTY_NOTES = {
    expression: "estimate unreliable: hypopg has no statistics for a new expression, so the planner guessed its selectivity; measure it with a real build in the sandbox",
    "access-method": "estimate unavailable: hypopg cannot cost this access method; measure it with a real build in the sandbox"
  };
  function unjudgedRecommendation(candidate, table, costBefore, scanShare2, why) {
    const base = recommendationFor({ ...candidate, uncertainty: candidate.uncertainty ?? "expression" }, table, { before: costBefore, after: costBefore, sizeBytes: 0 });
    return {
      ...base,
      rationale: `${candidate.reason}; the table has about ${Math.round(table.rows)} rows (${formatBytes(table.bytes)}); not estimated: ${why}; its scans take about ${Math.round(scanShare2 * 100)}% of the query's estimated cost (${round(costBefore)}), the most this index could save` + (table.statisticsMissing ? `; ${STATISTICS_MISSING}` : "")
    };
  }
  function improvement(before, after) {
    return before > 0 ? (before - after) / before * 100 : 0;
  }
  function round(cost) {
    return Math.round(cost * 100) / 100;
  }

  // plv8/plan/what-if.ts
  function* explainCost(query) {
    const plans2 = [];
    for (const { kind, statement, values } of planRequests(query)) plans2.push((yield* guardedPlan(query.planner, kind, statement, { values })).plan);
    return combinedCost(query, plans2);
  }
  function planRequests(query) {
    const sets = query.parameterSets ?? [];
    if (sets.length === 0) return [{ kind: query.hasParameters ? "generic" : "explain", statement: query.text, values: null }];
    return sets.map((set) => set.literal !== void 0 ? { kind: "explain", statement: set.literal, values: null } : { kind: "custom", statement: query.text, values: [...set.values ?? []] });
  }
  function combinedCost(query, plans2) {
    const sets = query.parameterSets ?? [];
    if (sets.length === 0) return { plan: plans2[0], plans: [...plans2], totalCost: totalCostOf(plans2[0]) };
    let totalCost = 0;
    let heaviest = 0;
    sets.forEach((set, i) => {
      totalCost += set.weight * totalCostOf(plans2[i]);
      if (set.weight > sets[heaviest].weight) heaviest = i;
    });
    return { plan: plans2[heaviest], plans: [...plans2], totalCost };
  }
  function* evaluateSet(query, ddls) {
    return yield* evaluateSetWithin(query, ddls, Infinity);
  }
  function* evaluateSetWithin(query, ddls, maxBytes) {
    let rows;
    try {
      rows = yield {
        sql: "select pg_temp.optischema_hypo_plans($1::text[], $2::float8, $3, $4, $5::jsonb) as result",
        params: [[...ddls], Number.isFinite(maxBytes) ? maxBytes : null, query.planner.role, query.planner.searchPath, JSON.stringify(planRequests(query))]
      };
    } catch (error) {
      throw explainedRefusal(query.planner, error);
    }
    const value = rows[0]?.result;
    const result = typeof value === "string" ? JSON.parse(value) : value;
    if (result.results === null) return null;
    const { plan, plans: plans2, totalCost } = combinedCost(query, result.results.map((r) => guardResult(r).plan));
    const used = plans2.flatMap(indexNames);
    return result.indexes.map((index) => ({ hypotheticalName: index.name, used: used.includes(index.name), totalCost, sizeBytes: Number(index.bytes), plan }));
  }
  function* resetHypothetical() {
    yield { sql: "select pg_temp.optischema_hypo_reset() is null as reset", params: [] };
  }
  function* leaveNothing() {
    try {
      yield* resetHypothetical();
      yield* closeGuard();
    } catch {
    }
  }
  function indexNames(plan) {
    const names = [];
    const visit = (node) => {
      if (Array.isArray(node)) {
        for (const child of node) visit(child);
        return;
      }
      if (typeof node !== "object" || node === null) return;
      const record = node;
      if (typeof record["Index Name"] === "string") names.push(record["Index Name"]);
      visit(record.Plan);
      visit(record.Plans);
    };
    visit(plan);
    return names;
  }
  function totalCostOf(plan) {
    const root = Array.isArray(plan) ? plan[0]?.Plan : void 0;
    const cost = Number(root?.["Total Cost"]);
    if (!Number.isFinite(cost)) throw new Error("EXPLAIN returned a plan without a total cost");
    return cost;
  }

  // plv8/advisor/parameters/parameter-typing.ts
  var ARITHMETIC_TYPINGS = [
    { name: "as written" },
    { name: "integer", left: "int8", right: "int8" },
    { name: "numeric", left: "numeric", right: "numeric" },
    { name: "date and interval", left: "date", right: "interval" },
    { name: "timestamp and interval", left: "timestamptz", right: "interval" }
  ];
  function typedVariants(text) {
    const base = extractAsFunction(typedParametersAsCasts(text));
    const out = [];
    for (const typing of ARITHMETIC_TYPINGS) {
      const variant = typing.left === void 0 ? base : castUntyped(base, typing);
      if (!out.some((o) => o.text === variant)) out.push({ text: variant, typing: typing.name });
    }
    return out;
  }
  var ARITHMETIC = /* @__PURE__ */ new Set(["+", "-", "*", "/", "%"]);
  function significant(tokens) {
    return tokens.flatMap((t, i) => t.kind === "space" || t.kind === "comment" ? [] : [i]);
  }
  function castUntyped(source, typing) {
    const tokens = textTokens(source);
    const order = significant(tokens);
    const text = (i) => i === void 0 ? "" : source.slice(tokens[i].start, tokens[i].end);
    const lower = (i) => text(i).toLowerCase();
    let out = "";
    let copied = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      if (tokens[i].kind !== "parameter") continue;
      const before = order[k - 1];
      const after = order[k + 1];
      if (text(after) === ":" && text(order[k + 2]) === ":") continue;
      const rightOfOperator = before !== void 0 && tokens[before].kind === "other" && ARITHMETIC.has(text(before)) && !isUnaryAt(order, tokens, source, k - 1);
      const leftOfOperator = after !== void 0 && tokens[after].kind === "other" && ARITHMETIC.has(text(after));
      const caseResult = ["then", "else"].includes(lower(before));
      let type;
      if (rightOfOperator) type = typing.right;
      else if (leftOfOperator || caseResult) type = typing.left;
      if (type === void 0) continue;
      out += `${source.slice(copied, tokens[i].end)}::${type}`;
      copied = tokens[i].end;
    }
    return out + source.slice(copied);
  }
  function isUnaryAt(order, tokens, source, k) {
    const before = order[k - 1];
    if (before === void 0) return true;
    const token = tokens[before];
    if (token.kind === "parameter" || token.kind === "number" || token.kind === "string" || token.kind === "quoted-identifier") return false;
    if (token.kind === "word") return /^(and|or|not|then|else|when|between|select|where|in|like|is|case|return|on|having)$/i.test(source.slice(token.start, token.end));
    return source.slice(token.start, token.end) !== ")" && source.slice(token.start, token.end) !== "]";
  }
  function extractAsFunction(source) {
    const tokens = textTokens(source);
    const order = significant(tokens);
    const text = (k) => order[k] === void 0 ? "" : source.slice(tokens[order[k]].start, tokens[order[k]].end);
    let out = "";
    let copied = 0;
    for (let k = 0; k + 3 < order.length; k++) {
      if (text(k).toLowerCase() !== "extract" || text(k - 1) === "." || text(k + 1) !== "(" || tokens[order[k + 2]].kind !== "parameter" || text(k + 3).toLowerCase() !== "from") continue;
      const word = tokens[order[k]];
      const parameter = tokens[order[k + 2]];
      const from = tokens[order[k + 3]];
      out += `${source.slice(copied, word.start)}pg_catalog.extract(${source.slice(parameter.start, parameter.end)}::text,`;
      copied = from.end;
      k += 3;
    }
    return out + source.slice(copied);
  }

  // plv8/advisor/parameters/parameter-slots.ts
  var PARAMETER = /\$(\d+)/g;
  function parameterSlots(plan, text, count) {
    const slots = /* @__PURE__ */ new Map();
    const set = (slot) => {
      if (slot.n < 1 || slot.n > count) return;
      const seen = slots.get(slot.n);
      if (seen === void 0 || seen.kind === "unbound" && slot.kind !== "unbound") slots.set(slot.n, slot);
    };
    for (const scan2 of planScans(plan).scans) {
      for (const condition of [scan2.indexCond, scan2.recheckCond, scan2.filter]) {
        if (condition === void 0) continue;
        const bound = /* @__PURE__ */ new Set();
        const analysis = analyzeCondition(condition);
        for (const atom of [...analysis.atoms, ...analysis.ors.flatMap((group) => group.arms.flat())]) {
          if (atom.constant === void 0 || atom.alias !== null && atom.alias !== scan2.alias) continue;
          const numbers = [...atom.constant.matchAll(PARAMETER)].map((m) => Number(m[1]));
          if (numbers.length === 0) continue;
          const kind = atom.column === null ? "unbound" : slotKind(atom.operator);
          const column = atom.column === null ? void 0 : { schema: scan2.schema, table: scan2.relation, column: atom.column };
          numbers.forEach((n, i) => {
            bound.add(n);
            if (kind === "unbound" || column === void 0) return set({ n, kind: "unbound" });
            set(i === 0 ? { n, kind, column } : { n, kind, column, neutral: neutralBefore(atom.constant, n) });
          });
        }
        for (const m of condition.matchAll(/\(?([A-Za-z_][\w$]*|"(?:[^"]|"")+")\.([A-Za-z_][\w$]*|"(?:[^"]|"")+")\)?(?:::[\w ]+)? = ANY \(ARRAY\[([^\]]*)\]/g)) {
          if (unquoteIdent(m[1]) !== scan2.alias) continue;
          const column = { schema: scan2.schema, table: scan2.relation, column: unquoteIdent(m[2]) };
          for (const p of m[3].matchAll(PARAMETER)) {
            bound.add(Number(p[1]));
            set({ n: Number(p[1]), kind: "equality", column });
          }
        }
        for (const m of condition.matchAll(PARAMETER)) if (!bound.has(Number(m[1]))) set({ n: Number(m[1]), kind: "unbound" });
      }
    }
    for (const { n, kind } of pagingParameters(text)) set({ n, kind });
    for (const condition of otherConditions(plan)) {
      for (const m of condition.matchAll(PARAMETER)) if (!slots.has(Number(m[1]))) set({ n: Number(m[1]), kind: "unbound" });
    }
    const out = [];
    for (let n = 1; n <= count; n++) out.push(slots.get(n) ?? { n, kind: "neutral" });
    return out;
  }
  var CONDITION_KEYS = [EXPLAIN.filter, EXPLAIN.joinFilter, EXPLAIN.hashCond, EXPLAIN.mergeCond, EXPLAIN.indexCond, EXPLAIN.recheckCond, EXPLAIN.oneTimeFilter];
  function otherConditions(plan) {
    const out = [];
    const visit = (node) => {
      if (node === null || typeof node !== "object") return;
      const record = node;
      for (const key of CONDITION_KEYS) if (typeof record[key] === "string") out.push(record[key]);
      const children2 = record[EXPLAIN.plans];
      if (Array.isArray(children2)) children2.forEach(visit);
    };
    visit(rootPlan(plan));
    return out;
  }
  function slotKind(operator) {
    if (operator === ">" || operator === ">=") return "lower";
    if (operator === "<" || operator === "<=") return "upper";
    return operator === "=" ? "equality" : "unbound";
  }
  function neutralBefore(constant, n) {
    const at = constant.indexOf(`$${n}`);
    const before = constant.slice(0, at).replace(/[\s(]+$/, "");
    return before.endsWith("*") || before.endsWith("/") ? "1" : "0";
  }
  function pagingParameters(text) {
    const tokens = textTokens(text).filter((t) => t.kind !== "space" && t.kind !== "comment");
    const word = (i) => tokens[i]?.kind === "word" ? text.slice(tokens[i].start, tokens[i].end).toLowerCase() : "";
    const out = [];
    tokens.forEach((t, i) => {
      if (t.kind !== "parameter") return;
      const n = Number(text.slice(t.start + 1, t.end));
      if (word(i - 1) === "limit" || (word(i - 1) === "first" || word(i - 1) === "next") && word(i - 2) === "fetch") out.push({ n, kind: "limit" });
      else if (word(i - 1) === "offset") out.push({ n, kind: "offset" });
    });
    return out;
  }

  // plv8/advisor/parameters/column-statistics.ts
  var STATISTICS_SQL = `
select distinct on (attname) attname, null_frac::float8 as null_frac,
       to_json(most_common_vals::text::text[]) as mcv, to_json(most_common_freqs) as mcf,
       to_json(histogram_bounds::text::text[]) as histogram
  from pg_catalog.pg_stats
 where schemaname = $1 and tablename = $2 and attname = any($3::text[])
 order by attname, inherited desc`;
  function* columnStatistics(schema, table, columns) {
    const rows = yield { sql: STATISTICS_SQL, params: [schema, table, [...columns]] };
    const out = /* @__PURE__ */ new Map();
    for (const row of rows) {
      out.set(String(row.attname), {
        nullFrac: Number(row.null_frac ?? 0),
        mostCommon: strings(row.mcv),
        frequencies: (parsed(row.mcf) ?? []).map(Number),
        histogram: strings(row.histogram)
      });
    }
    return out;
  }
  function parsed(value) {
    const v = typeof value === "string" ? JSON.parse(value) : value;
    return Array.isArray(v) ? v : null;
  }
  function strings(value) {
    return (parsed(value) ?? []).map(String);
  }

  // plv8/advisor/parameters/parameter-sets.ts
  var LIMIT_VALUE = "10";
  var MIN_SET_SHARE = 0.01;
  var OFFSET_VALUE = "0";
  function* parameterSets(slots, samples = [], sampledValues = []) {
    const complete = sampledValues.filter((values) => values.length === slots.length);
    if (complete.length > 0) {
      const weight = 1 / complete.length;
      return { sets: complete.map((values, i) => ({ values: [...values], weight, source: "pg_qualstats", label: `sampled ${i + 1}` })) };
    }
    if (samples.length > 0) {
      const weight = 1 / samples.length;
      return { sets: samples.map((literal, i) => ({ literal, weight, source: "activity", label: `sample ${i + 1}` })) };
    }
    const unbound = slots.filter((s) => s.kind === "unbound");
    if (unbound.length > 0) return { sets: [], why: `${unbound.map((s) => `$${s.n}`).join(", ")} compared with an expression no statistics describe` };
    const stats = yield* statisticsOf(slots);
    const missing = slots.filter((s) => s.column !== void 0 && stats.get(columnKey(s.column)) === void 0);
    if (missing.length > 0) return { sets: [], why: `no statistics for ${[...new Set(missing.map((s) => s.column.column))].join(", ")} (never analyzed)` };
    return { sets: statisticsSets(slots, stats) };
  }
  function* statisticsOf(slots) {
    const byTable = /* @__PURE__ */ new Map();
    for (const s of slots) {
      if (s.column === void 0) continue;
      const key = `${s.column.schema}\0${s.column.table}`;
      const entry = byTable.get(key) ?? { schema: s.column.schema, table: s.column.table, columns: /* @__PURE__ */ new Set() };
      entry.columns.add(s.column.column);
      byTable.set(key, entry);
    }
    const out = /* @__PURE__ */ new Map();
    for (const { schema, table, columns } of byTable.values()) {
      const read = yield* columnStatistics(schema, table, [...columns]);
      for (const [column, statistics] of read) out.set(columnKey({ schema, table, column }), statistics);
    }
    return out;
  }
  function columnKey(c) {
    return `${c.schema}\0${c.table}\0${c.column}`;
  }
  function statisticsSets(slots, stats) {
    const twoSided = /* @__PURE__ */ new Set();
    for (const s of slots) {
      if (s.kind !== "lower" || s.column === void 0) continue;
      if (slots.some((o) => o.kind === "upper" && o.column !== void 0 && columnKey(o.column) === columnKey(s.column))) twoSided.add(columnKey(s.column));
    }
    const valueFor = (s, role) => {
      if (s.neutral !== void 0) return s.neutral;
      if (s.kind === "limit") return LIMIT_VALUE;
      if (s.kind === "offset") return OFFSET_VALUE;
      if (s.column === void 0) return null;
      const st = stats.get(columnKey(s.column));
      const h = st.histogram;
      const at = (share) => h.length === 0 ? void 0 : h[Math.min(h.length - 1, Math.max(0, Math.round(share * (h.length - 1))))];
      const mid = Math.floor((h.length - 1) / 2);
      const typical2 = h[mid] ?? st.mostCommon[st.mostCommon.length - 1];
      if (s.kind === "equality") return (role === "common" ? st.mostCommon[0] ?? typical2 : typical2) ?? null;
      const both = twoSided.has(columnKey(s.column));
      if (h.length === 0) return st.mostCommon[0] ?? null;
      if (both) return s.kind === "lower" || role === "narrow" ? h[mid] : h[Math.min(h.length - 1, mid + 1)];
      return (s.kind === "lower" ? at(0.9) : at(0.1)) ?? null;
    };
    const commonShare = (() => {
      for (const s of slots) {
        if (s.kind !== "equality" || s.column === void 0) continue;
        const st = stats.get(columnKey(s.column));
        if (st.mostCommon.length > 0) return Math.min(1, st.frequencies.reduce((a, b) => a + b, 0));
      }
      return 0;
    })();
    const build = (role) => slots.map((s) => valueFor(s, role));
    const typical = build("typical");
    const same = (a) => a.every((v, i) => v === typical[i]);
    const common = build("common");
    const narrow = build("narrow");
    const sets = [];
    const rest = commonShare > 0 && !same(common) ? 1 - commonShare : 1;
    const hasNarrow = twoSided.size > 0 && !same(narrow);
    sets.push({ role: "typical", values: typical, share: hasNarrow ? rest / 2 : rest });
    if (hasNarrow) sets.push({ role: "narrow", values: narrow, share: rest / 2 });
    if (rest < 1) sets.push({ role: "common", values: common, share: 1 - rest });
    const kept = sets.filter((s) => s.share >= MIN_SET_SHARE);
    const total = kept.reduce((sum, s) => sum + s.share, 0);
    return kept.map((s) => ({ values: s.values, weight: s.share / total, source: "statistics", label: s.role }));
  }

  // plv8/advisor/parameters/plan-normalized.ts
  function* planNormalized(text, planner, samples = [], sampledValues = []) {
    const prepared = [];
    let firstError;
    for (const variant of typedVariants(text)) {
      try {
        const generic = yield* guardedPlan(planner, "generic", variant.text);
        prepared.push({ ...variant, plan: generic.plan, types: generic.parameterTypes ?? [] });
      } catch (error) {
        firstError ?? (firstError = error);
      }
    }
    if (prepared.length === 0) {
      const message = typeof firstError?.message === "string" ? firstError.message : String(firstError);
      throw Object.assign(new Error(`the statement's parameters could not be typed for planning (tried ${typedVariants(text).map((v) => v.typing).join(", ")}): ${message}`, { cause: firstError }), {
        code: firstError?.code
      });
    }
    const literals = samples.flatMap((sample) => {
      try {
        const read = readStatement(sample);
        return read.hasParameters ? [] : [read.text];
      } catch {
        return [];
      }
    });
    const first = prepared[0];
    const slots = parameterSlots(first.plan, first.text, first.types.length);
    const drawn = yield* parameterSets(slots, literals, sampledValues);
    if (drawn.sets.length === 0) return { text: first.text, typing: first.typing, genericPlan: first.plan, parameterTypes: first.types, sets: [], fallback: drawn.why };
    for (const variant of prepared) {
      const fitting = [];
      for (const set of drawn.sets) if (yield* plans(planner, variant.text, set)) fitting.push(set);
      if (fitting.length === drawn.sets.length || variant === prepared[prepared.length - 1] && fitting.length > 0) {
        const total = fitting.reduce((a, s) => a + s.weight, 0);
        return { text: variant.text, typing: variant.typing, genericPlan: variant.plan, parameterTypes: variant.types, sets: fitting.map((s) => ({ ...s, weight: s.weight / total })) };
      }
    }
    return { text: first.text, typing: first.typing, genericPlan: first.plan, parameterTypes: first.types, sets: [], fallback: "no drawn values fit the parameters’ types" };
  }
  function* plans(planner, text, set) {
    try {
      if (set.literal !== void 0) yield* guardedPlan(planner, "explain", set.literal);
      else yield* guardedPlan(planner, "custom", text, { values: set.values ?? [] });
      return true;
    } catch {
      return false;
    }
  }

  // plv8/advisor/query/evaluate-query.ts
  function newEvaluationContext() {
    return { tables: /* @__PURE__ */ new Map(), existing: /* @__PURE__ */ new Map(), partialFits: /* @__PURE__ */ new Map(), distinct: /* @__PURE__ */ new Map() };
  }
  function* evaluateQuery(text, planner, options = {}, context = newEvaluationContext(), samples = [], sampledValues = []) {
    const evaluation = { query: null, costBefore: 0, plan: null, plans: [], evaluated: [], sets: [], unjudged: [], errors: [] };
    try {
      const read = readStatement(text);
      let statement = { text: read.text, hasParameters: read.hasParameters, planner };
      let genericPlan = null;
      if (read.hasParameters) {
        const normalized = yield* planNormalized(read.text, planner, samples, sampledValues);
        statement = { ...statement, text: normalized.text, parameterSets: normalized.sets };
        genericPlan = normalized.genericPlan;
        evaluation.parameters = parameterEvidence(normalized.sets, normalized.typing, normalized.fallback);
      }
      evaluation.query = statement;
      const before = yield* explainCost(statement);
      evaluation.costBefore = before.totalCost;
      evaluation.plan = before.plan;
      evaluation.plans = before.plans;
      const costed = /* @__PURE__ */ new Set();
      const predicates = constantPredicates(statement, genericPlan, before.plans);
      const prepare = function* (found) {
        const table = yield* cached(context.tables, `${found.schema}.${found.table}`, () => tableFacts(found.schema, found.table));
        if (table.rows < (options.minTableRows ?? 1e3)) return null;
        if (found.uncertainty !== void 0 && table.bytes < UNJUDGED_MIN_BYTES) return null;
        const distinct = yield* cached(context.distinct, `${table.schema}.${table.table}`, () => columnDistinct(table));
        const candidate = mostSelectiveFirst({ ...found, schema: table.schema, table: table.table }, distinct);
        const existing = yield* cached(context.existing, `${table.schema}.${table.table}`, () => existingIndexes(table.schema, table.table));
        if (duplicatesExisting(candidate, existing)) return null;
        if (candidate.include !== void 0 && !coveringFits(candidate, table, existing)) return null;
        if (candidate.predicate !== void 0) {
          const test = { predicate: candidate.predicate, column: candidate.predicateColumn ?? "", kind: candidate.predicateKind ?? "value", known: predicates !== null };
          const fits = yield* cached(context.partialFits, `${table.schema}.${table.table}\0${test.predicate}\0${test.known}`, () => partialPredicateFits(table, test, planner));
          if (!fits) return null;
        }
        return { candidate, table, ddl: indexDdl(candidate, { concurrently: false }) };
      };
      const unjudged = function* (prepared, why) {
        if (!(yield* methodAvailable(prepared.candidate))) return;
        const share = scanShare(before.plans, prepared.table, context.tables, evaluation.costBefore);
        evaluation.unjudged.push({ ...prepared, scanShare: share, why });
      };
      for (const found of mergeProposals(before.plans.map((plan) => candidatesFromPlan(plan)))) {
        if (found.predicate !== void 0 && predicates !== null && !predicates.has(found.predicate)) continue;
        const prepared = yield* prepare(found);
        if (prepared === null || costed.has(prepared.ddl)) continue;
        costed.add(prepared.ddl);
        const { candidate, table, ddl } = prepared;
        if (candidate.method === "gin" || candidate.method === "gist") {
          yield* unjudged(prepared, `hypopg cannot cost ${candidate.method.toUpperCase()} indexes`);
          continue;
        }
        let cost;
        try {
          const maxBytes = Math.min(options.maxIndexBytes ?? Infinity, candidate.include !== void 0 ? table.bytes - 1 : Infinity);
          [cost] = (yield* evaluateSetWithin(statement, [ddl], maxBytes)) ?? [];
        } catch (error) {
          evaluation.errors.push(`hypothetical index ${ddl}: ${errorMessage(error)}`);
          continue;
        }
        if (cost === void 0) continue;
        if (!cost.used && candidate.uncertainty === "expression") {
          yield* unjudged(prepared, "the planner passed over the hypothetical index: it has no statistics for a new expression, so its estimate cannot judge it");
          continue;
        }
        evaluation.evaluated.push({ candidate, table, ddl, costAfter: cost.totalCost, sizeBytes: cost.sizeBytes, used: cost.used });
      }
      const setsSeen = /* @__PURE__ */ new Set();
      for (const set of mergeSets(before.plans.map((plan) => indexSetsFromPlan(plan)))) {
        const members = [];
        let complete = true;
        for (const found of set) {
          const prepared = yield* prepare(found);
          const existing = context.existing.get(`${found.schema}.${found.table}`) ?? [];
          if (prepared === null && servedByExisting(found, existing)) continue;
          if (prepared === null) complete = false;
          else members.push(prepared);
        }
        const id = members.map((m) => m.ddl).join("\0");
        if (!complete || members.length < 2 || setsSeen.has(id)) continue;
        setsSeen.add(id);
        try {
          const costs = yield* evaluateSetWithin(statement, members.map((m) => m.ddl), options.maxIndexBytes ?? Infinity);
          if (costs === null) continue;
          evaluation.sets.push({
            members: members.map((m, n) => ({ ...m, costAfter: costs[n].totalCost, sizeBytes: costs[n].sizeBytes, used: costs[n].used })),
            costAfter: costs[0].totalCost,
            used: costs.every((c) => c.used)
          });
        } catch (error) {
          evaluation.errors.push(`hypothetical indexes ${members.map((m) => m.ddl).join("; ")}: ${errorMessage(error)}`);
        }
      }
    } catch (error) {
      evaluation.errors.push(errorMessage(error));
    }
    return evaluation;
  }
  function mergeProposals(lists) {
    return uniqueBy(lists.flat(), candidateId);
  }
  function mergeSets(lists) {
    return uniqueBy(lists.flat(), (set) => set.map(candidateId).join(""));
  }
  function uniqueBy(items, id) {
    const seen = /* @__PURE__ */ new Set();
    return items.filter((item) => {
      const key = id(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  function constantPredicates(statement, genericPlan, plans2) {
    if (!statement.hasParameters) return null;
    const of = (plan) => new Set(candidatesFromPlan(plan).flatMap((c) => c.predicate === void 0 ? [] : [c.predicate]));
    const out = of(genericPlan);
    const sets = statement.parameterSets ?? [];
    const sampled = plans2.filter((_, i) => sets[i]?.literal !== void 0);
    if (sampled.length >= 2) {
      const [first, ...rest] = sampled.map(of);
      for (const predicate of first) if (rest.every((r) => r.has(predicate))) out.add(predicate);
    }
    return out;
  }
  function parameterNote(evidence) {
    const typed = evidence.typing === "as written" ? "" : `; untyped parameters read as ${evidence.typing}`;
    if (evidence.source === "generic") return `parameters planned by the generic plan (${evidence.why ?? "no representative values"}): estimates for real values may differ${typed}`;
    const shares = evidence.sets.map((s) => `${s.label} ${Math.round(s.weight * 100)} %`).join(", ");
    const from = { pg_qualstats: "values pg_qualstats sampled", activity: "literal texts the collector saw", statistics: "values drawn from pg_stats" }[evidence.source];
    return `parameters planned with ${from} (${shares})${typed}`;
  }
  function parameterEvidence(sets, typing, why) {
    if (sets.length === 0) return { source: "generic", typing, sets: [], ...why === void 0 ? {} : { why } };
    return {
      source: sets[0].source,
      typing,
      sets: sets.map((s) => ({ label: s.label, weight: s.weight, ...s.values ? { values: s.values } : {}, ...s.literal ? { literal: s.literal } : {} }))
    };
  }
  var MAX_COVERING_SHARE = 0.1;
  var MIN_COVERING_ROWS = 50;
  function coveringFits(candidate, table, existing) {
    if (servedByExisting({ ...candidate, include: void 0 }, existing)) return false;
    const rows = candidate.scanRows ?? 0;
    return table.rows > 0 && rows >= MIN_COVERING_ROWS && rows / table.rows <= MAX_COVERING_SHARE;
  }
  function earnsItsInclude(e, used, thresholdPct) {
    if (e.candidate.include === void 0) return true;
    const plain = used.find(
      (p) => p.candidate.include === void 0 && p.table.schema === e.table.schema && p.table.table === e.table.table && (p.candidate.predicate ?? null) === (e.candidate.predicate ?? null) && JSON.stringify(p.candidate.keys) === JSON.stringify(e.candidate.keys)
    );
    return plain === void 0 || improvement(plain.costAfter, e.costAfter) >= thresholdPct;
  }
  function* withAnalysisSettings(statementTimeoutMs, inner) {
    const saved = yield {
      sql: `select current_setting('statement_timeout') as statement_timeout, current_setting('search_path') as search_path`,
      params: []
    };
    yield {
      sql: `select set_config('statement_timeout', $1, true) as timeout, set_config('search_path', 'pg_catalog, pg_temp', true) as path`,
      params: [`${Math.round(statementTimeoutMs)}ms`]
    };
    try {
      return yield* inner;
    } finally {
      yield {
        sql: `select pg_catalog.set_config('statement_timeout', $1, true) as timeout, pg_catalog.set_config('search_path', $2, true) as path`,
        params: [String(saved[0]?.statement_timeout ?? "0"), String(saved[0]?.search_path ?? '"$user", public')]
      };
    }
  }
  function* cached(cache, key, load) {
    if (cache.has(key)) return cache.get(key);
    const value = yield* load();
    cache.set(key, value);
    return value;
  }
  function errorMessage(error) {
    const message = typeof error === "object" && error !== null ? error.message : void 0;
    return typeof message === "string" ? message : String(error);
  }

  // plv8/advisor/query/index-chain.ts
  function bestFirst(candidates) {
    return [...candidates].sort((a, b) => a.costAfter - b.costAfter || a.sizeBytes - b.sizeBytes || a.ddl.localeCompare(b.ddl));
  }

  // plv8/engine/guard/planners.ts
  var ANALYSIS_ROLE = "optischema_analysis";
  var CURRENT_USER = "current_user";
  var PLANNER_FACTS_SQL = `
with wanted as (
  select r.oid from pg_catalog.pg_roles r where r.oid::text = any ($1::text[])
  union
  select r.oid from pg_catalog.pg_roles r where r.rolname = current_user or r.rolname = $2
), db as (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
select r.oid::text as oid, r.rolname::text as name, r.rolsuper as superuser, r.rolname = current_user as is_current,
       r.rolname = current_user or case when current_setting('server_version_num')::int >= 160000
                                        then pg_catalog.pg_has_role(current_user, r.oid, 'SET')
                                        else pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER') end as can_become,
       pg_catalog.has_database_privilege(r.oid, current_database(), 'TEMP') as temp,
       r.rolsuper or coalesce((select pg_catalog.pg_has_role(r.oid, a.oid, 'USAGE') from pg_catalog.pg_roles a where a.rolname = $2), false) as holds_analysis,
       $3::text is null or coalesce((select pg_catalog.pg_has_role(q.oid, r.oid, 'MEMBER') from pg_catalog.pg_roles q where q.oid::text = $3::text), false) as requester_may,
       coalesce(
         (select substr(c, 13) from pg_catalog.pg_db_role_setting s, db, unnest(s.setconfig) c
           where s.setrole = r.oid and s.setdatabase = db.oid and c like 'search\\_path=%'),
         (select substr(c, 13) from pg_catalog.pg_db_role_setting s, unnest(s.setconfig) c
           where s.setrole = r.oid and s.setdatabase = 0 and c like 'search\\_path=%'),
         (select substr(c, 13) from pg_catalog.pg_db_role_setting s, db, unnest(s.setconfig) c
           where s.setrole = 0 and s.setdatabase = db.oid and c like 'search\\_path=%'),
         (select boot_val from pg_catalog.pg_settings where name = 'search_path')) as search_path,
       current_database() as database
  from wanted w join pg_catalog.pg_roles r on r.oid = w.oid`;
  function* plannerFacts(authors, requester = null) {
    const oids = [...new Set(authors.filter((a) => a !== CURRENT_USER))];
    const rows = yield { sql: PLANNER_FACTS_SQL, params: [oids, ANALYSIS_ROLE, requester] };
    const facts = rows.map(toRoleFacts);
    const current = rows.find((row) => row.is_current === true);
    const byOid = new Map(facts.map((f) => [f.oid, f]));
    const map = /* @__PURE__ */ new Map();
    for (const author of authors) {
      const found = author === CURRENT_USER ? current ? byOid.get(String(current.oid)) : void 0 : byOid.get(author);
      if (found) map.set(author, found);
    }
    return {
      sessionRole: String(current?.name ?? ""),
      database: String(rows[0]?.database ?? ""),
      authors: map,
      analysis: facts.find((f) => f.name === ANALYSIS_ROLE) ?? null
    };
  }
  function toRoleFacts(row) {
    return {
      oid: String(row.oid),
      name: String(row.name),
      superuser: row.superuser === true,
      canBecome: row.can_become === true,
      temp: row.temp === true,
      holdsAnalysis: row.holds_analysis === true,
      requesterMay: row.requester_may !== false,
      searchPath: String(row.search_path ?? '"$user", public')
    };
  }
  function choosePlanner(authors, facts) {
    const refs = authors.length > 0 ? authors : [CURRENT_USER];
    const known = refs.map((ref) => facts.authors.get(ref)).filter((f) => f !== void 0);
    if (known.length === 0) {
      return { refused: `the role that ran this statement (oid ${refs.join(", ")}) no longer exists, so OptiSchema cannot plan it with that role's rights` };
    }
    const refusals = [];
    for (const author of known) {
      if (author.superuser) continue;
      if (!author.canBecome) {
        refusals.push(
          `statements of role ${author.name} are planned as that role, which ${facts.sessionRole} may not become: GRANT ${quoteIdent(author.name)} TO ${quoteIdent(facts.sessionRole)} (PostgreSQL 16+: WITH INHERIT FALSE) to let it (docs/security.md)`
        );
        continue;
      }
      if (!author.requesterMay) {
        refusals.push(`statements of role ${author.name} are planned as that role, which the role that asked for this advice may not act as`);
        continue;
      }
      if (!author.temp) {
        refusals.push(
          `statements of role ${author.name} are planned as that role, which may not create temporary objects in database ${facts.database}: GRANT TEMP ON DATABASE ${quoteIdent(facts.database)} TO ${quoteIdent(author.name)}`
        );
        continue;
      }
      return { role: author.name, as: "author", author: author.name, searchPath: author.searchPath };
    }
    const privileged = known.find((a) => a.holdsAnalysis);
    if (privileged) {
      const analysis = facts.analysis;
      const why = privileged.superuser ? `of superuser ${privileged.name}` : `of role ${privileged.name}`;
      if (!analysis) {
        return {
          refused: `statements ${why} are planned as ${ANALYSIS_ROLE} (OptiSchema never plans with a superuser's rights), which does not exist here: CREATE ROLE ${ANALYSIS_ROLE} NOLOGIN; GRANT pg_read_all_data TO ${ANALYSIS_ROLE}; GRANT ${ANALYSIS_ROLE} TO ${quoteIdent(facts.sessionRole)}; (docs/security.md)`
        };
      }
      if (!analysis.canBecome) {
        return { refused: `statements ${why} are planned as ${ANALYSIS_ROLE}, which ${facts.sessionRole} may not become: GRANT ${ANALYSIS_ROLE} TO ${quoteIdent(facts.sessionRole)}` };
      }
      if (!analysis.requesterMay) {
        return { refused: `statements ${why} are planned as ${ANALYSIS_ROLE}, which the role that asked for this advice may not act as (it is not a member)` };
      }
      if (!analysis.temp) {
        return { refused: `${ANALYSIS_ROLE} may not create temporary objects in database ${facts.database}: GRANT TEMP ON DATABASE ${quoteIdent(facts.database)} TO ${ANALYSIS_ROLE}` };
      }
      return { role: analysis.name, as: "analysis", author: privileged.name, searchPath: resolveUserInPath(privileged.searchPath, privileged.name) };
    }
    return { refused: refusals[0] ?? `OptiSchema may not plan statements of role ${known[0].name}` };
  }
  function resolveUserInPath(searchPath, author) {
    return searchPath.split(",").map((item) => item.trim()).map((item) => item === '"$user"' || item === "$user" ? quoteIdent(author) : item).join(", ");
  }
  function* choosePlanners(authors, requester = null) {
    const lists = authors.map((list) => list.length > 0 ? list : [CURRENT_USER]);
    const facts = yield* plannerFacts(lists.flat(), requester);
    return lists.map((list) => choosePlanner(list, facts));
  }
  function isPlanner(choice) {
    return !("refused" in choice);
  }

  // plv8/advisor/query/advise-query.ts
  function* adviseQuery(query, given = {}) {
    const options = given ?? {};
    const thresholdPct = options.thresholdPct ?? 20;
    return yield* withAnalysisSettings(
      options.statementTimeoutMs ?? 1e4,
      (function* () {
        const [planner] = yield* choosePlanners([options.authors ?? []]);
        if (!planner || !isPlanner(planner)) return { recommendations: [], errors: [planner?.refused ?? "no planner"] };
        try {
          yield* openGuard([planner]);
          const evaluation = yield* evaluateQuery(query, planner, options);
          const chosen = evaluation.query === null ? [] : yield* choose(evaluation.query, evaluation, thresholdPct);
          const note = evaluation.parameters ? `; ${parameterNote(evaluation.parameters)}` : "";
          const recommendations = [
            ...chosen.map((c) => {
              const recommendation = recommendationFor(c.evaluated.candidate, c.evaluated.table, { before: evaluation.costBefore, after: c.costAfter, sizeBytes: c.evaluated.sizeBytes });
              const together = c.together.length > 0 ? { together: c.together } : {};
              return { ...recommendation, ...together, rationale: `${recommendation.rationale}${c.note}${note}` };
            }),
            ...unjudgedFor(evaluation, chosen, thresholdPct).map((u) => {
              const recommendation = unjudgedRecommendation(u.candidate, u.table, evaluation.costBefore, u.scanShare, u.why);
              return { ...recommendation, rationale: `${recommendation.rationale}${note}` };
            })
          ];
          return {
            recommendations: recommendations.slice(0, options.maxRecommendations ?? Infinity),
            errors: evaluation.errors,
            ...evaluation.parameters ? { parameters: evaluation.parameters } : {}
          };
        } catch (error) {
          return { recommendations: [], errors: [errorMessage(error)] };
        } finally {
          yield* leaveNothing();
        }
      })()
    );
  }
  function* choose(query, evaluation, thresholdPct) {
    const used = evaluation.evaluated.filter((e) => e.used && e.costAfter < evaluation.costBefore);
    const useful = used.filter((e) => earnsItsInclude(e, used, thresholdPct));
    const first = smallAtNearlyTheSameSaving(bestFirst(useful), evaluation.costBefore);
    const set = [...evaluation.sets].filter((s) => s.used).sort((a, b) => a.costAfter - b.costAfter)[0];
    const setWins = set !== void 0 && (first === void 0 || set.costAfter < first.costAfter);
    const start = setWins ? set.costAfter : first?.costAfter;
    if (start === void 0 || improvement(evaluation.costBefore, start) < thresholdPct) return [];
    const sqlOf = (e) => indexDdl(e.candidate, { concurrently: e.table.kind !== "p" });
    const chosen = setWins ? set.members.map((m) => ({
      evaluated: m,
      costAfter: set.costAfter,
      together: set.members.filter((o) => o !== m).map(sqlOf),
      note: `; costed together with the other ${set.members.length - 1} index(es) of this OR: the planner combines them in a BitmapOr and uses none alone`
    })) : [{ evaluated: first, costAfter: first.costAfter, together: [], note: "" }];
    const tableOf = (e) => `${e.table.schema}.${e.table.table}`;
    let cost = start;
    for (; ; ) {
      const taken = new Set(chosen.map((c) => tableOf(c.evaluated)));
      const others = /* @__PURE__ */ new Map();
      for (const e of bestFirst(useful)) if (!taken.has(tableOf(e)) && !others.has(tableOf(e))) others.set(tableOf(e), e);
      let best = null;
      for (const e of others.values()) {
        const costs = yield* evaluateSet(query, [...chosen.map((c) => c.evaluated.ddl), e.ddl]);
        const after = costs[0].totalCost;
        if (costs[costs.length - 1].used && improvement(cost, after) >= thresholdPct && (best === null || after < best.cost)) best = { e, cost: after };
      }
      if (best === null) return chosen;
      const before = chosen.map((c) => sqlOf(c.evaluated));
      chosen.push({ evaluated: best.e, costAfter: best.cost, together: before, note: `; costed with ${before.length === 1 ? "the index" : "the indexes"} chosen before it in place (a join needs one on each side)` });
      cost = best.cost;
    }
  }
  var NEARLY_THE_SAME_SAVING_PCT = 2;
  var MUCH_SMALLER = 4;
  function smallAtNearlyTheSameSaving(sorted, costBefore) {
    const best = sorted[0];
    if (best === void 0) return void 0;
    const bar = improvement(costBefore, best.costAfter) - NEARLY_THE_SAME_SAVING_PCT;
    const smaller = sorted.filter((e) => improvement(costBefore, e.costAfter) >= bar && e.sizeBytes * MUCH_SMALLER <= best.sizeBytes);
    return smaller.sort((a, b) => a.sizeBytes - b.sizeBytes || a.costAfter - b.costAfter)[0] ?? best;
  }
  function unjudgedFor(evaluation, chosen, thresholdPct) {
    const taken = new Set(chosen.map((c) => `${c.evaluated.table.schema}.${c.evaluated.table.table}`));
    return evaluation.unjudged.filter((u) => {
      const table = `${u.table.schema}.${u.table.table}`;
      if (taken.has(table) || u.scanShare * 100 < thresholdPct) return false;
      taken.add(table);
      return true;
    });
  }

  // plv8/entry:engine_advise_query.ts
  function main(plv8, args) {
    return runInPlv8(plv8, adviseQuery(...args));
  }
  return __toCommonJS(entry_engine_advise_query_exports);
})();
return optischema_engine.main(plv8, [query, options]);
$plv8$;
revoke execute on function optischema.engine_advise_query(text, jsonb) from public;

create or replace function optischema.engine_advise_workload(options jsonb)
  returns jsonb
  language plv8
  volatile
  set search_path = pg_catalog, pg_temp
as $plv8$
var optischema_engine = (() => {
  var __defProp = Object.defineProperty;
  var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
  var __getOwnPropNames = Object.getOwnPropertyNames;
  var __hasOwnProp = Object.prototype.hasOwnProperty;
  var __defNormalProp = (obj, key, value) => key in obj ? __defProp(obj, key, { enumerable: true, configurable: true, writable: true, value }) : obj[key] = value;
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
  var __publicField = (obj, key, value) => __defNormalProp(obj, typeof key !== "symbol" ? key + "" : key, value);

  // plv8/entry:engine_advise_workload.ts
  var entry_engine_advise_workload_exports = {};
  __export(entry_engine_advise_workload_exports, {
    main: () => main
  });

  // plv8/engine/statement-text.ts
  var StatementTextError = class extends Error {
  };
  var PLANNABLE = /* @__PURE__ */ new Set(["select", "with", "values", "table", "insert", "update", "delete", "merge", "("]);
  function readStatement(source) {
    const pieces = splitStatements(source);
    if (pieces.length === 0) throw new StatementTextError("the query is empty");
    if (pieces.length > 1) throw new StatementTextError(`the text holds ${pieces.length} statements; give one statement at a time`);
    const piece = pieces[0];
    if (!PLANNABLE.has(piece.firstKeyword)) {
      throw new StatementTextError(`only SELECT, WITH, VALUES, TABLE, INSERT, UPDATE, DELETE and MERGE statements can be advised on, not ${piece.firstKeyword.toUpperCase() || "this text"}`);
    }
    return piece;
  }
  function splitStatements(source) {
    const out = [];
    let start = 0;
    let first;
    let hasParameters = false;
    const finish = (end) => {
      if (first) {
        const firstKeyword = first.kind === "word" ? asciiLower(source.slice(first.start, first.end)) : source[first.start] === "(" ? "(" : "";
        out.push({ text: trimSpace(source.slice(start, end)), hasParameters, firstKeyword });
      }
      first = void 0;
      hasParameters = false;
    };
    for (const token of scan(source)) {
      if (token.kind === "semicolon") {
        finish(token.start);
        start = token.end;
      } else if (token.kind !== "space" && token.kind !== "comment") {
        first ?? (first = token);
        if (token.kind === "parameter") hasParameters = true;
      }
    }
    finish(source.length);
    return out;
  }
  function typedParametersAsCasts(source) {
    const tokens = scan(source);
    let out = "";
    let copied = 0;
    for (let t = 0; t < tokens.length; t++) {
      const typed = typedParameterAt(source, tokens, t);
      if (!typed) continue;
      const parameter = tokens[typed.parameter];
      out += `${source.slice(copied, tokens[t].start)}${source.slice(parameter.start, parameter.end)}::${typed.type}`;
      copied = parameter.end;
      t = typed.parameter;
    }
    return out + source.slice(copied);
  }
  var TYPED_LITERAL_TYPES = /* @__PURE__ */ new Set([
    "date",
    "timestamptz",
    "timestamp",
    "timetz",
    "time",
    "interval",
    "numeric",
    "decimal",
    "int",
    "integer",
    "int2",
    "int4",
    "int8",
    "smallint",
    "bigint",
    "real",
    "float",
    "float4",
    "float8",
    "boolean",
    "bool",
    "text",
    "varchar",
    "char",
    "character",
    "bpchar",
    "json",
    "jsonb",
    "uuid",
    "bytea",
    "inet",
    "cidr",
    "macaddr",
    "money",
    "tsquery",
    "tsvector",
    "oid",
    "regclass",
    "name"
  ]);
  var INTERVAL_FIELDS = /* @__PURE__ */ new Set(["year", "month", "day", "hour", "minute", "second"]);
  function typedParameterAt(source, tokens, t) {
    const text = (i) => tokens[i] ? source.slice(tokens[i].start, tokens[i].end) : "";
    const isWord2 = (i, ...words2) => tokens[i]?.kind === "word" && words2.includes(asciiLower(text(i)));
    const isBlank = (i) => tokens[i]?.kind === "space";
    if (!isWord2(t, ...TYPED_LITERAL_TYPES)) return void 0;
    const words = [text(t)];
    let next = t + 1;
    if (isWord2(t, "timestamp", "time") && isBlank(next) && isWord2(next + 1, "with", "without") && isBlank(next + 2) && isWord2(next + 3, "time") && isBlank(next + 4) && isWord2(next + 5, "zone")) {
      words.push(text(next + 1), text(next + 3), text(next + 5));
      next += 6;
    }
    if (!isBlank(next) || tokens[next + 1]?.kind !== "parameter") return void 0;
    const afterText = isBlank(next + 2) ? next + 3 : next + 2;
    if (isWord2(t, "interval") && words.length === 1 && isWord2(afterText, ...INTERVAL_FIELDS)) return { type: words[0], parameter: next + 1 };
    const after = tokens[next + 2]?.kind;
    if (after === "word" || after === "number") return void 0;
    return { type: words.join(" "), parameter: next + 1 };
  }
  var QUOTE = 39;
  var DOUBLE_QUOTE = 34;
  var DOLLAR = 36;
  var BACKSLASH = 92;
  var isSpace = (c) => c === 32 || c >= 9 && c <= 13;
  var isNewline = (c) => c === 10 || c === 13;
  var isDigit = (c) => c >= 48 && c <= 57;
  var isIdentStart = (c) => c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 95 || c >= 128;
  var isIdentCont = (c) => isIdentStart(c) || isDigit(c) || c === DOLLAR;
  var isTagCont = (c) => isIdentStart(c) || isDigit(c);
  function textTokens(source) {
    return scan(source);
  }
  function scan(source) {
    if (source.includes("\0")) throw new StatementTextError("the text holds a NUL character, which PostgreSQL cannot receive");
    const tokens = [];
    const at = (i2) => source.charCodeAt(i2);
    let i = 0;
    while (i < source.length) {
      const c = at(i);
      const start = i;
      let kind;
      if (isSpace(c)) {
        kind = "space";
        while (isSpace(at(i))) i++;
      } else if (source.startsWith("--", i)) {
        kind = "comment";
        i = lineCommentEnd(source, i);
      } else if (source.startsWith("/*", i)) {
        kind = "comment";
        i = blockCommentEnd(source, i);
      } else if ((c === 69 || c === 101) && at(i + 1) === QUOTE) {
        kind = "string";
        i = stringEnd(source, i + 1, true);
      } else if (c === QUOTE) {
        kind = "string";
        i = stringEnd(source, i, false);
      } else if (c === DOUBLE_QUOTE) {
        kind = "quoted-identifier";
        i = quotedIdentifierEnd(source, i);
      } else if (isIdentStart(c)) {
        kind = "word";
        while (isIdentCont(at(i))) i++;
      } else if (isDigit(c) || c === 46 && isDigit(at(i + 1))) {
        kind = "number";
        i = numberEnd(source, i);
      } else if (c === DOLLAR && isDigit(at(i + 1))) {
        kind = "parameter";
        i++;
        while (isDigit(at(i))) i++;
      } else if (c === DOLLAR) {
        const close = dollarQuoteEnd(source, i);
        kind = close < 0 ? "other" : "string";
        i = close < 0 ? i + 1 : close;
      } else {
        kind = c === 59 ? "semicolon" : "other";
        i++;
      }
      tokens.push({ kind, start, end: i });
    }
    return tokens;
  }
  function lineCommentEnd(source, open) {
    let i = open + 2;
    while (i < source.length && !isNewline(source.charCodeAt(i))) i++;
    return i;
  }
  function blockCommentEnd(source, open) {
    let depth = 0;
    let i = open;
    while (i < source.length) {
      if (source.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (source.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth === 0) return i;
      } else {
        i++;
      }
    }
    throw new StatementTextError("unterminated /* comment");
  }
  function stringEnd(source, open, backslashes) {
    let i = open + 1;
    while (i < source.length) {
      const c = source.charCodeAt(i);
      if (backslashes && c === BACKSLASH) {
        i += 2;
      } else if (c === QUOTE) {
        if (source.charCodeAt(i + 1) === QUOTE) {
          i += 2;
          continue;
        }
        const continued = continuationEnd(source, i + 1);
        if (continued < 0) return i + 1;
        i = continued;
      } else {
        i++;
      }
    }
    throw new StatementTextError("unterminated string literal");
  }
  function continuationEnd(source, from) {
    let i = from;
    let newline = false;
    for (; ; ) {
      const c = source.charCodeAt(i);
      if (isNewline(c)) {
        newline = true;
        i++;
      } else if (isSpace(c)) {
        i++;
      } else if (source.startsWith("--", i)) {
        i = lineCommentEnd(source, i);
      } else {
        return newline && c === QUOTE ? i + 1 : -1;
      }
    }
  }
  function quotedIdentifierEnd(source, open) {
    let i = open + 1;
    while (i < source.length) {
      if (source.charCodeAt(i) === DOUBLE_QUOTE) {
        if (source.charCodeAt(i + 1) !== DOUBLE_QUOTE) return i + 1;
        i += 2;
      } else {
        i++;
      }
    }
    throw new StatementTextError("unterminated quoted identifier");
  }
  function numberEnd(source, open) {
    const at = (i2) => source.charCodeAt(i2);
    let i = open;
    while (isDigit(at(i))) i++;
    if (at(i) === 46 && at(i + 1) !== 46) {
      i++;
      while (isDigit(at(i))) i++;
    }
    const sign = at(i + 1) === 43 || at(i + 1) === 45 ? 1 : 0;
    if ((at(i) === 69 || at(i) === 101) && isDigit(at(i + 1 + sign))) {
      i += 1 + sign;
      while (isDigit(at(i))) i++;
    }
    return i;
  }
  function dollarQuoteEnd(source, open) {
    let i = open + 1;
    if (isIdentStart(source.charCodeAt(i))) {
      i++;
      while (isTagCont(source.charCodeAt(i))) i++;
    }
    if (source.charCodeAt(i) !== DOLLAR) return -1;
    const delimiter = source.slice(open, i + 1);
    const close = source.indexOf(delimiter, i + 1);
    if (close < 0) throw new StatementTextError(`unterminated dollar-quoted string ${delimiter}`);
    return close + delimiter.length;
  }
  function asciiLower(text) {
    return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  }
  function trimSpace(text) {
    let start = 0;
    let end = text.length;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    return text.slice(start, end);
  }

  // plv8/host/plv8-host.ts
  function runStepSync(step, execute) {
    let result = step.next();
    while (!result.done) {
      const request = result.value;
      let rows;
      try {
        rows = request.fork ? forkedResults(request.fork.steps, (inner) => runStepSync(inner, execute)) : execute(request);
      } catch (error) {
        result = step.throw(error);
        continue;
      }
      result = step.next(rows);
    }
    return result.value;
  }
  function forkedResults(steps, run) {
    const outcomes = steps.map((step) => {
      try {
        return { value: run(step) };
      } catch (error) {
        return { error };
      }
    });
    const failed = outcomes.find((o) => "error" in o);
    if (failed) throw failed.error;
    return outcomes.map((o) => ({ value: o.value }));
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
  function executeOneCommand(plv8, sql, params) {
    const statements = splitStatements(sql);
    if (statements.length !== 1) throw new Error(`a command request must hold exactly one statement, not ${statements.length}`);
    plv8.execute(sql, params);
    return [];
  }
  var ANALYSIS_SEARCH_PATH_SQL = `select pg_catalog.set_config('search_path',
  pg_catalog.concat_ws(', ', 'pg_catalog', nullif(s.reset_val, ''), 'pg_temp'), true) as search_path
  from pg_catalog.pg_settings s where s.name = 'search_path'`;
  function runInPlv8(plv8, step) {
    executeOneStatement(plv8, ANALYSIS_SEARCH_PATH_SQL, []);
    return runStepSync(
      step,
      (request) => request.command === true ? executeOneCommand(plv8, request.sql, request.params ?? []) : executeOneStatement(plv8, request.sql, request.params ?? [])
    );
  }

  // plv8/engine/quote-ident.ts
  var KEYWORDS_NEEDING_QUOTES = new Set(
    "all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column concurrently constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references returning right select session_user similar some symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when where window with".split(" ")
  );
  function quoteIdent(name) {
    if (/^[a-z_][a-z0-9_$]*$/.test(name) && !KEYWORDS_NEEDING_QUOTES.has(name)) return name;
    return `"${name.replace(/"/g, '""')}"`;
  }
  function unquoteIdent(name) {
    return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
  }

  // plv8/advisor/candidates/index-names.ts
  var MAX_IDENTIFIER_BYTES = 63;
  function indexName(c) {
    const parts = [
      slug(c.table),
      ...c.method && c.method !== "btree" ? [c.method] : [],
      ...c.keys.map((k) => slug(k.column ?? k.expression ?? "") + (k.opclass ? `_${k.opclass === "text_pattern_ops" ? "pattern" : slug(k.opclass)}` : "") + (k.descending ? "_desc" : "") + nullsSlug(k)),
      ...c.include && c.include.length > 0 ? ["incl", ...c.include.map(slug)] : [],
      ...c.predicate ? ["where", slug(c.predicate.replace(/::[a-z ]+/g, ""))] : []
    ];
    const base = parts.join("_");
    const full = `${base}_idx`;
    if (full.length <= MAX_IDENTIFIER_BYTES) return full;
    const hash = shortHash(`${c.schema}\0${c.table}\0${JSON.stringify([c.keys, c.include ?? [], c.predicate ?? ""])}`);
    const room = MAX_IDENTIFIER_BYTES - "_idx".length - hash.length - 1;
    return `${base.slice(0, room).replace(/_+$/, "")}_${hash}_idx`;
  }
  function indexDdl(c, options) {
    const keys = c.keys.map((k) => {
      const key = k.column !== void 0 ? quoteIdent(k.column) : `(${k.expression ?? ""})`;
      const nulls = k.nullsFirst === void 0 ? "" : k.nullsFirst ? " NULLS FIRST" : " NULLS LAST";
      return `${key}${k.opclass ? ` ${k.opclass}` : ""}${k.descending ? " DESC" : ""}${nulls}`;
    });
    const using = c.method && c.method !== "btree" ? ` USING ${c.method}` : "";
    const concurrently = options.concurrently ? "CONCURRENTLY " : "";
    const include = c.include && c.include.length > 0 ? ` INCLUDE (${c.include.map(quoteIdent).join(", ")})` : "";
    const where = c.predicate ? ` WHERE ${c.predicate}` : "";
    return `CREATE INDEX ${concurrently}${quoteIdent(indexName(c))} ON ${quoteIdent(c.schema)}.${quoteIdent(c.table)}${using} (${keys.join(", ")})${include}${where}`;
  }
  function rollbackDdl(c, options = { concurrently: true }) {
    return `DROP INDEX ${options.concurrently ? "CONCURRENTLY " : ""}IF EXISTS ${quoteIdent(c.schema)}.${quoteIdent(indexName(c))}`;
  }
  function nullsSlug(k) {
    return k.nullsFirst === void 0 ? "" : k.nullsFirst ? "_nulls_first" : "_nulls_last";
  }
  function slug(text) {
    const readable = text.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    return readable === "" ? `x${shortHash(text)}` : readable;
  }
  function shortHash(text) {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h.toString(36).padStart(7, "0").slice(-6);
  }

  // plv8/plan/conditions.ts
  function analyzeCondition(text) {
    const result = { atoms: [], joins: [], ors: [], joinSides: [], skipped: [] };
    let tokens;
    try {
      tokens = tokenize(text);
    } catch {
      result.skipped.push({ text, why: "unparsed" });
      return result;
    }
    for (const part of andParts(tokens)) {
      const partText = text.slice(part[0].start, part[part.length - 1].end);
      if (hasTopLevel(unwrap(part), "OR")) {
        result.skipped.push({ text: partText, why: "or" });
        const arms = splitTopLevel(unwrap(part), "OR").map((arm) => analyzeCondition(text.slice(arm[0].start, arm[arm.length - 1].end)));
        if (arms.every((arm) => arm.atoms.length > 0 && arm.skipped.length === 0 && arm.joins.length === 0 && arm.ors.length === 0)) {
          result.ors.push({ text: partText, arms: arms.map((arm) => arm.atoms) });
        }
        continue;
      }
      const inner = unwrap(part);
      if (isWord(inner[0], "NOT")) {
        let negated = null;
        try {
          negated = new Parser(inner.slice(1), text).parseWhole();
        } catch {
          negated = null;
        }
        const side = negated === null ? null : indexedSide(negated);
        if (side && side.column !== null) result.atoms.push({ ...side, kind: "bool", operator: "=", constant: "false", text: partText });
        else result.skipped.push({ text: partText, why: "unparsed" });
        continue;
      }
      let node;
      try {
        node = new Parser(part, text).parseWhole();
      } catch {
        result.skipped.push({ text: partText, why: "unparsed" });
        continue;
      }
      classify(node, partText, result);
    }
    return result;
  }
  function parseOperand(text) {
    try {
      const node = new Parser(tokenize(text), text).parseWhole();
      return indexedSide(node);
    } catch {
      return null;
    }
  }
  function columnsIn(text) {
    try {
      return columnsOf(new Parser(tokenize(text), text).parseWhole());
    } catch {
      return null;
    }
  }
  var OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";
  function tokenize(text) {
    const tokens = [];
    let i = 0;
    while (i < text.length) {
      const ch = text[i];
      const start = i;
      if (/\s/.test(ch)) {
        i++;
      } else if (ch === "(" || ch === ")" || ch === "," || ch === "[" || ch === "]") {
        tokens.push({ kind: ch, value: ch, start, end: ++i });
      } else if (ch === ":" && text[i + 1] === ":") {
        i += 2;
        tokens.push({ kind: "::", value: "::", start, end: i });
      } else if (ch === "'" || (ch === "E" || ch === "e") && text[i + 1] === "'") {
        i = ch === "'" ? i + 1 : i + 2;
        let value = "";
        for (; ; ) {
          if (i >= text.length) throw new Error("unterminated string");
          if (text[i] === "'" && text[i + 1] === "'") {
            value += "'";
            i += 2;
          } else if (text[i] === "'") {
            i++;
            break;
          } else if (text[i] === "\\" && ch !== "'") {
            value += text[i + 1] ?? "";
            i += 2;
          } else {
            value += text[i++];
          }
        }
        tokens.push({ kind: "string", value, start, end: i });
      } else if (ch === '"') {
        i++;
        let value = "";
        for (; ; ) {
          if (i >= text.length) throw new Error("unterminated identifier");
          if (text[i] === '"' && text[i + 1] === '"') {
            value += '"';
            i += 2;
          } else if (text[i] === '"') {
            i++;
            break;
          } else {
            value += text[i++];
          }
        }
        tokens.push({ kind: "qident", value, start, end: i });
      } else if (ch === "$" && /\d/.test(text[i + 1] ?? "")) {
        i++;
        while (/\d/.test(text[i] ?? "")) i++;
        tokens.push({ kind: "param", value: text.slice(start, i), start, end: i });
      } else if (/\d/.test(ch) || ch === "." && /\d/.test(text[i + 1] ?? "")) {
        while (/[\d.eE]/.test(text[i] ?? "") || /[eE]/.test(text[i - 1] ?? "") && /[+-]/.test(text[i] ?? "")) i++;
        tokens.push({ kind: "number", value: text.slice(start, i), start, end: i });
      } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
        while (/[A-Za-z0-9_$\u0080-\uffff]/.test(text[i] ?? "")) i++;
        tokens.push({ kind: "ident", value: text.slice(start, i), start, end: i });
      } else if (ch === ".") {
        tokens.push({ kind: "op", value: ".", start, end: ++i });
      } else if (OPERATOR_CHARS.includes(ch)) {
        while (i < text.length && OPERATOR_CHARS.includes(text[i])) i++;
        tokens.push({ kind: "op", value: text.slice(start, i), start, end: i });
      } else {
        tokens.push({ kind: "other", value: ch, start, end: ++i });
      }
    }
    return tokens;
  }
  var isWord = (t, word) => t?.kind === "ident" && t.value.toUpperCase() === word;
  function unwrap(tokens) {
    let current = tokens;
    while (current.length >= 2 && current[0].kind === "(" && closingIndex(current, 0) === current.length - 1) {
      current = current.slice(1, -1);
    }
    return current;
  }
  function closingIndex(tokens, open) {
    let depth = 0;
    for (let i = open; i < tokens.length; i++) {
      if (tokens[i].kind === "(") depth++;
      else if (tokens[i].kind === ")" && --depth === 0) return i;
    }
    return -1;
  }
  function splitTopLevel(tokens, word) {
    const parts = [[]];
    let depth = 0;
    for (const t of tokens) {
      if (t.kind === "(") depth++;
      if (t.kind === ")") depth--;
      if (depth === 0 && isWord(t, word)) parts.push([]);
      else parts[parts.length - 1].push(t);
    }
    return parts.filter((p) => p.length > 0);
  }
  function hasTopLevel(tokens, word) {
    return splitTopLevel(tokens, word).length > 1;
  }
  function andParts(tokens) {
    const inner = unwrap(tokens);
    const parts = splitTopLevel(inner, "AND");
    if (parts.length <= 1) return inner.length > 0 ? [tokens] : [];
    return parts.flatMap(andParts);
  }
  var STOP_WORDS = /* @__PURE__ */ new Set(["AND", "OR", "NOT", "IS", "ANY", "ALL", "ASC", "DESC", "NULLS", "USING", "COLLATE"]);
  var Parser = class {
    constructor(tokens, source) {
      __publicField(this, "pos", 0);
      __publicField(this, "tokens");
      __publicField(this, "source");
      this.tokens = tokens;
      this.source = source;
    }
    parseWhole() {
      const { node } = this.comparison();
      if (this.pos !== this.tokens.length) throw new Error("trailing tokens");
      return node;
    }
    peek(offset = 0) {
      return this.tokens[this.pos + offset];
    }
    next() {
      const t = this.tokens[this.pos++];
      if (!t) throw new Error("unexpected end");
      return t;
    }
    expect(kind) {
      const t = this.next();
      if (t.kind !== kind) throw new Error(`expected ${kind}`);
      return t;
    }
    /** `a op b [op c …]`, `a op ANY (b)`, `a IS [NOT] NULL`. */
    comparison() {
      let left = this.postfix();
      for (; ; ) {
        const t = this.peek();
        if (isWord(t, "IS")) {
          this.pos++;
          const not = isWord(this.peek(), "NOT");
          if (not) this.pos++;
          const end = this.next();
          if (!isWord(end, "NULL")) throw new Error("IS other than NULL");
          left = { node: { type: "null_test", not, arg: left.node }, start: left.start, end: end.end };
        } else if (t?.kind === "op" && t.value !== ".") {
          this.pos++;
          if (isWord(this.peek(), "ANY") || isWord(this.peek(), "ALL")) {
            const all = isWord(this.next(), "ALL");
            const right = this.postfix();
            left = { node: { type: "any", op: t.value, all, left: left.node, right: right.node }, start: left.start, end: right.end };
          } else {
            const right = this.postfix();
            left = { node: { type: "op", op: t.value, left: left.node, right: right.node }, start: left.start, end: right.end };
          }
        } else {
          return left;
        }
      }
    }
    /** A primary followed by any number of `::type` casts. */
    postfix() {
      let result = this.primary();
      while (this.peek()?.kind === "::") {
        this.pos++;
        const words = [];
        let end = this.pos;
        while (this.peek()?.kind === "ident" || this.peek()?.kind === "qident") {
          if (this.peek().kind === "ident" && STOP_WORDS.has(this.peek().value.toUpperCase())) break;
          const w = this.next();
          const word = w.kind === "qident" ? quoteIdent(w.value) : w.value;
          if (words.length > 0 && words[words.length - 1].endsWith(".")) words[words.length - 1] += word;
          else words.push(word);
          if (this.peek()?.kind === "op" && this.peek().value === ".") {
            this.pos++;
            words[words.length - 1] += ".";
          }
          end = this.pos;
        }
        if (this.peek()?.kind === "(") {
          const close = closingIndex(this.tokens, this.pos);
          if (close < 0) throw new Error("unbalanced type modifier");
          this.pos = close + 1;
          end = this.pos;
        }
        while (this.peek()?.kind === "[" && this.peek(1)?.kind === "]") {
          this.pos += 2;
          if (words.length > 0) words[words.length - 1] += "[]";
          end = this.pos;
        }
        if (words.length === 0) throw new Error("cast without type");
        result = { node: { type: "cast", arg: result.node, typeName: words.join(" ") }, start: result.start, end: this.tokens[end - 1].end };
      }
      return result;
    }
    primary() {
      const t = this.next();
      switch (t.kind) {
        case "(": {
          const inner = this.comparison();
          const close = this.expect(")");
          return { node: inner.node, start: t.start, end: close.end };
        }
        case "string":
        case "number":
        case "param":
          return { node: { type: "const", text: this.source.slice(t.start, t.end) }, start: t.start, end: t.end };
        case "ident":
        case "qident": {
          if (t.kind === "ident" && STOP_WORDS.has(t.value.toUpperCase())) throw new Error(`unexpected ${t.value}`);
          if (t.kind === "ident" && ["NULL", "TRUE", "FALSE"].includes(t.value.toUpperCase())) {
            return { node: { type: "const", text: t.value }, start: t.start, end: t.end };
          }
          const names = [t];
          while (this.peek()?.kind === "op" && this.peek().value === ".") {
            this.pos++;
            const part = this.next();
            if (part.kind !== "ident" && part.kind !== "qident") throw new Error("bad qualified name");
            names.push(part);
          }
          if (this.peek()?.kind === "(") return this.call(names, t.start);
          const last = names[names.length - 1];
          if (names.length === 1) return { node: { type: "column", ref: { alias: null, column: t.value } }, start: t.start, end: t.end };
          if (names.length === 2) {
            return { node: { type: "column", ref: { alias: names[0].value, column: last.value } }, start: t.start, end: last.end };
          }
          throw new Error("three-part name");
        }
        default:
          throw new Error(`unexpected ${t.value}`);
      }
    }
    call(names, start) {
      this.expect("(");
      const args = [];
      if (this.peek()?.kind !== ")") {
        for (; ; ) {
          args.push(this.comparison().node);
          if (this.peek()?.kind === ",") this.pos++;
          else break;
        }
      }
      const close = this.expect(")");
      const name = names.map((n) => n.kind === "qident" ? quoteIdent(n.value) : n.value).join(".");
      return { node: { type: "func", name, args }, start, end: close.end };
    }
  };
  function columnsOf(node) {
    switch (node.type) {
      case "column":
        return [node.ref];
      case "const":
        return [];
      case "func":
        return node.args.flatMap(columnsOf);
      case "cast":
        return columnsOf(node.arg);
      case "op":
      case "any":
        return [...columnsOf(node.left), ...columnsOf(node.right)];
      case "null_test":
        return columnsOf(node.arg);
    }
  }
  function stripCasts(node) {
    return node.type === "cast" ? stripCasts(node.arg) : node;
  }
  var TRANSPARENT_CASTS = /* @__PURE__ */ new Set(["text", "character varying", "varchar", "name"]);
  function stripTransparentCasts(node) {
    return node.type === "cast" && TRANSPARENT_CASTS.has(node.typeName) ? stripTransparentCasts(node.arg) : node;
  }
  function render(node) {
    switch (node.type) {
      case "column":
        return quoteIdent(node.ref.column);
      case "const":
        return node.text;
      case "func":
        return `${node.name}(${node.args.map(render).join(", ")})`;
      case "cast":
        if (stripCasts(node.arg).type === "column" && TRANSPARENT_CASTS.has(node.typeName)) return render(node.arg);
        return node.arg.type !== "const" && node.arg.type !== "func" ? `(${render(node.arg)})::${node.typeName}` : `${render(node.arg)}::${node.typeName}`;
      case "op":
        return `(${render(node.left)} ${node.op} ${render(node.right)})`;
      case "any":
        return `(${render(node.left)} ${node.op} ${node.all ? "ALL" : "ANY"} (${render(node.right)}))`;
      case "null_test":
        return `(${render(node.arg)} IS ${node.not ? "NOT " : ""}NULL)`;
    }
  }
  function indexedSide(node) {
    const bare = stripTransparentCasts(node);
    if (bare.type === "column") return { alias: bare.ref.alias, column: bare.ref.column };
    const refs = columnsOf(bare);
    const aliases = new Set(refs.map((r) => r.alias));
    if (refs.length === 0 || aliases.size !== 1 || bare.type === "const") return null;
    return { alias: refs[0].alias, column: null, expression: render(bare) };
  }
  var NON_BTREE_OPERATORS = /* @__PURE__ */ new Set(["@>", "<@", "&&", "?", "?|", "?&", "@@", "@?", "~~", "~~*", "~", "~*", "-|-", "<<", ">>", "&<", "&>"]);
  var FLIPPED = { "<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=" };
  var RANGE_OPERATORS = /* @__PURE__ */ new Set(["<", ">", "<=", ">=", "~<~", "~>~", "~<=~", "~>=~"]);
  function classify(root, text, out) {
    const node = stripCasts(root);
    const skip = (why) => {
      out.skipped.push({ text, why });
    };
    if (node.type === "column") {
      out.atoms.push({ alias: node.ref.alias, column: node.ref.column, kind: "bool", operator: "=", constant: "true", text });
      return;
    }
    if (node.type === "null_test") {
      const side2 = indexedSide(node.arg);
      if (!side2) return skip("unsupported");
      out.atoms.push({ ...side2, kind: node.not ? "not_null" : "is_null", operator: node.not ? "IS NOT NULL" : "IS NULL", text });
      return;
    }
    if (node.type === "any") {
      const side2 = indexedSide(node.left);
      if (!side2 || node.all || node.op !== "=") return skip("unsupported");
      if (columnsOf(node.right).length > 0) return skip("join");
      out.atoms.push({ ...side2, kind: "in", operator: "= ANY", constant: render(node.right), text });
      return;
    }
    if (node.type !== "op") return skip("unsupported");
    const leftCols = columnsOf(node.left);
    const rightCols = columnsOf(node.right);
    if (leftCols.length > 0 && rightCols.length > 0) {
      const l = stripCasts(node.left);
      const r = stripCasts(node.right);
      if (node.op === "=" && l.type === "column" && r.type === "column") out.joins.push({ left: l.ref, right: r.ref, text });
      else if (node.op === "=") {
        const sides = [indexedSide(node.left), indexedSide(node.right)];
        if (sides.every((side2) => side2 !== null) && sides[0].alias !== sides[1].alias) {
          for (const side2 of sides) out.joinSides.push({ ...side2, text });
        }
      }
      return skip("join");
    }
    if (leftCols.length === 0 && rightCols.length === 0) return skip("unsupported");
    const flip = leftCols.length === 0;
    const op = flip ? FLIPPED[node.op] : node.op;
    const side = indexedSide(flip ? node.right : node.left);
    const constantNode = flip ? node.left : node.right;
    if (!side || !op) return skip("unsupported");
    const constant = render(constantNode);
    if (op === "=") {
      out.atoms.push({ ...side, kind: "eq", operator: op, constant, text });
    } else if (RANGE_OPERATORS.has(op)) {
      out.atoms.push({ ...side, kind: "range", operator: op, constant, text });
    } else if (op === "~~" && isPrefixPattern(stripCasts(constantNode))) {
      out.atoms.push({ ...side, kind: "prefix", operator: op, constant, text });
    } else if (!flip && NON_BTREE_OPERATORS.has(op)) {
      out.atoms.push({ ...side, kind: "operator", operator: op, constant, text });
    } else {
      skip("unsupported");
    }
  }
  function isPrefixPattern(node) {
    if (node.type !== "const" || !node.text.startsWith("'")) return false;
    const first = node.text[1];
    return first !== void 0 && first !== "%" && first !== "_" && first !== "'";
  }

  // plv8/plan/explain-keys.ts
  var EXPLAIN = {
    plan: "Plan",
    plans: "Plans",
    nodeType: "Node Type",
    parentRelationship: "Parent Relationship",
    subplanName: "Subplan Name",
    operation: "Operation",
    strategy: "Strategy",
    partialMode: "Partial Mode",
    joinType: "Join Type",
    scanDirection: "Scan Direction",
    parallelAware: "Parallel Aware",
    schema: "Schema",
    relationName: "Relation Name",
    indexName: "Index Name",
    cteName: "CTE Name",
    functionName: "Function Name",
    planningTime: "Planning Time",
    executionTime: "Execution Time",
    sharedHitBlocks: "Shared Hit Blocks",
    sharedReadBlocks: "Shared Read Blocks",
    alias: "Alias",
    filter: "Filter",
    indexCond: "Index Cond",
    recheckCond: "Recheck Cond",
    rowsRemovedByFilter: "Rows Removed by Filter",
    actualRows: "Actual Rows",
    planRows: "Plan Rows",
    totalCost: "Total Cost",
    sortKey: "Sort Key",
    presortedKey: "Presorted Key",
    hashCond: "Hash Cond",
    mergeCond: "Merge Cond",
    joinFilter: "Join Filter",
    oneTimeFilter: "One-Time Filter",
    output: "Output",
    // EXPLAIN ANALYZE figures the plan insights read (plv8/plan/insights/).
    actualLoops: "Actual Loops",
    sortMethod: "Sort Method",
    sortSpaceUsed: "Sort Space Used",
    sortSpaceType: "Sort Space Type",
    hashBatches: "Hash Batches",
    originalHashBatches: "Original Hash Batches",
    hashAggBatches: "HashAgg Batches",
    peakMemoryUsage: "Peak Memory Usage",
    exactHeapBlocks: "Exact Heap Blocks",
    lossyHeapBlocks: "Lossy Heap Blocks",
    heapFetches: "Heap Fetches",
    workersPlanned: "Workers Planned",
    workersLaunched: "Workers Launched",
    workers: "Workers",
    jit: "JIT",
    jitTiming: "Timing",
    jitTimingTotal: "Total",
    rowsRemovedByIndexRecheck: "Rows Removed by Index Recheck"
  };

  // plv8/plan/plan-scans.ts
  var CATALOG_SCHEMAS = ["pg_catalog", "information_schema", "pg_toast"];
  var isNode = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
  var str = (node, key) => typeof node[key] === "string" ? node[key] : void 0;
  var num = (node, key) => typeof node[key] === "number" ? node[key] : void 0;
  var children = (node) => Array.isArray(node[EXPLAIN.plans]) ? node[EXPLAIN.plans].filter(isNode) : [];
  function rootPlan(plan) {
    const first = Array.isArray(plan) ? plan[0] : plan;
    if (!isNode(first)) return null;
    if (isNode(first[EXPLAIN.plan])) return first[EXPLAIN.plan];
    return typeof first[EXPLAIN.nodeType] === "string" ? first : null;
  }
  var ORDER_PRESERVING = /* @__PURE__ */ new Set(["Gather Merge", "Result", "Subquery Scan"]);
  var SORTS = /* @__PURE__ */ new Set(["Sort", "Incremental Sort"]);
  var JOIN_KEYS = [EXPLAIN.hashCond, EXPLAIN.mergeCond, EXPLAIN.joinFilter];
  function planScans(plan) {
    const facts = { scans: [], sortsUnderLimit: [], joins: [] };
    const root = rootPlan(plan);
    if (!root) return facts;
    const pendingJoins = [];
    const visit = (node) => {
      const nodeType = str(node, EXPLAIN.nodeType) ?? "";
      const scan2 = tableScan(node, nodeType);
      if (scan2) facts.scans.push(scan2);
      for (const key of JOIN_KEYS) {
        const condition = str(node, key);
        if (condition && !nodeType.endsWith("Scan")) pendingJoins.push({ nodeType, key, condition });
      }
      if (nodeType === "Limit") {
        const sort = sortBelow(node);
        if (sort) facts.sortsUnderLimit.push({ ...sort, limitRows: num(node, EXPLAIN.planRows) ?? 0 });
      }
      children(node).forEach(visit);
    };
    visit(root);
    for (const join of pendingJoins) {
      const relations = facts.scans.filter((s) => mentionsAlias(join.condition, s.alias)).map(({ schema, relation, alias }) => ({ schema, relation, alias }));
      facts.joins.push({ ...join, relations: dedupeRelations(relations) });
    }
    return facts;
  }
  function tableScan(node, nodeType) {
    const relation = str(node, EXPLAIN.relationName);
    const schema = str(node, EXPLAIN.schema);
    if (!relation || !schema || !nodeType.endsWith("Scan") || CATALOG_SCHEMAS.includes(schema)) return null;
    const scan2 = {
      schema,
      relation,
      alias: str(node, EXPLAIN.alias) ?? relation,
      nodeType,
      planRows: num(node, EXPLAIN.planRows) ?? 0,
      totalCost: num(node, EXPLAIN.totalCost) ?? 0
    };
    const optional = {
      indexName: str(node, EXPLAIN.indexName),
      filter: str(node, EXPLAIN.filter),
      indexCond: str(node, EXPLAIN.indexCond) ?? bitmapIndexConds(node),
      recheckCond: str(node, EXPLAIN.recheckCond),
      output: Array.isArray(node[EXPLAIN.output]) ? node[EXPLAIN.output].filter((o) => typeof o === "string") : void 0,
      rowsRemovedByFilter: num(node, EXPLAIN.rowsRemovedByFilter),
      actualRows: num(node, EXPLAIN.actualRows)
    };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== void 0) scan2[key] = value;
    }
    return scan2;
  }
  function bitmapIndexConds(node) {
    if (str(node, EXPLAIN.nodeType) !== "Bitmap Heap Scan") return void 0;
    const conds = [];
    const collect = (n) => {
      const type = str(n, EXPLAIN.nodeType);
      if (type === "BitmapOr") return;
      const cond = str(n, EXPLAIN.indexCond);
      if (type === "Bitmap Index Scan" && cond) conds.push(cond);
      children(n).forEach(collect);
    };
    children(node).forEach(collect);
    if (conds.length === 0) return void 0;
    return conds.length === 1 ? conds[0] : `(${conds.join(" AND ")})`;
  }
  function sortBelow(limit) {
    let node = children(limit)[0];
    while (node && ORDER_PRESERVING.has(str(node, EXPLAIN.nodeType) ?? "")) node = children(node)[0];
    if (!node || !SORTS.has(str(node, EXPLAIN.nodeType) ?? "")) return null;
    const keys = node[EXPLAIN.sortKey];
    if (!Array.isArray(keys)) return null;
    return { keys: keys.filter((k) => typeof k === "string").map(sortKey), overAggregate: hasAggregate(node) };
  }
  var AGGREGATING = /* @__PURE__ */ new Set(["Aggregate", "WindowAgg", "Group", "Unique", "SetOp"]);
  function hasAggregate(node) {
    return children(node).some((child) => AGGREGATING.has(str(child, EXPLAIN.nodeType) ?? "") || hasAggregate(child));
  }
  function sortKey(text) {
    let rest = text.trim();
    let descending = false;
    let nulls;
    const suffix = /\s+(ASC|DESC|NULLS FIRST|NULLS LAST|USING \S+)$/;
    for (let m = suffix.exec(rest); m; m = suffix.exec(rest)) {
      if (m[1] === "DESC" || m[1] === "USING >") descending = true;
      if (m[1] === "NULLS FIRST") nulls = true;
      if (m[1] === "NULLS LAST") nulls = false;
      rest = rest.slice(0, m.index);
    }
    const operand = parseOperand(rest);
    return {
      text,
      alias: operand?.alias ?? null,
      column: operand?.column ?? null,
      ...operand?.expression ? { expression: operand.expression } : {},
      descending,
      nullsFirst: nulls ?? descending
    };
  }
  function mentionsAlias(condition, alias) {
    const bare = /^[a-z_][a-z0-9_$]*$/.test(alias);
    const quoted = `"${alias.replace(/"/g, '""')}".`;
    if (condition.includes(quoted)) return true;
    if (!bare) return false;
    const re = new RegExp(`(^|[^A-Za-z0-9_$."])${alias.replace(/\$/g, "\\$")}\\.`);
    return re.test(condition);
  }
  function dedupeRelations(relations) {
    const seen = /* @__PURE__ */ new Set();
    return relations.filter((r) => {
      const k = `${r.schema}\0${r.relation}\0${r.alias}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }

  // plv8/advisor/candidates/access-methods.ts
  var JSONB_OPERATORS = /* @__PURE__ */ new Set(["@>", "?", "?|", "?&", "@?"]);
  var ARRAY_OPERATORS = /* @__PURE__ */ new Set(["@>", "<@", "&&"]);
  var PATTERN_OPERATORS = /* @__PURE__ */ new Set(["~~", "~~*", "~", "~*"]);
  var GIST_OPERATORS = /* @__PURE__ */ new Set(["&&", "@>", "<@", "<<", ">>", "&<", "&>", "-|-"]);
  var GEOMETRIC_TYPES = /* @__PURE__ */ new Set(["point", "box", "polygon", "circle", "lseg", "path", "inet", "cidr"]);
  var TRIGRAM_OPCLASS = "gin_trgm_ops";
  function accessMethodCandidates(atoms) {
    const out = [];
    for (const atom of atoms) {
      if (atom.kind !== "operator") continue;
      const key = atom.column !== null ? { column: atom.column } : { expression: atom.expression ?? "" };
      const target = atom.column ?? atom.expression ?? "";
      const type = castType(atom.constant ?? "");
      const why = `${target} ${atom.operator} … needs`;
      if (JSONB_OPERATORS.has(atom.operator) && (type === "jsonb" || atom.operator !== "@>")) {
        const opclass = atom.operator === "@>" ? { opclass: "jsonb_path_ops" } : {};
        out.push({ keys: [{ ...key, ...opclass }], method: "gin", uncertainty: "access-method", reason: `${why} a GIN index` });
      } else if (ARRAY_OPERATORS.has(atom.operator) && type?.endsWith("[]")) {
        out.push({ keys: [key], method: "gin", uncertainty: "access-method", reason: `${why} a GIN index (array)` });
      } else if (atom.operator === "@@") {
        out.push({ keys: [key], method: "gin", uncertainty: "access-method", reason: `${why} a GIN index (full-text search)` });
      } else if (PATTERN_OPERATORS.has(atom.operator)) {
        out.push({ keys: [{ ...key, opclass: TRIGRAM_OPCLASS }], method: "gin", uncertainty: "access-method", reason: `${why} a trigram GIN index (pg_trgm)` });
      } else if (GIST_OPERATORS.has(atom.operator) && type !== void 0 && (type.endsWith("range") || GEOMETRIC_TYPES.has(type))) {
        out.push({ keys: [key], method: "gist", uncertainty: "access-method", reason: `${why} a GiST index (${type})` });
      }
    }
    return out;
  }
  function castType(constant) {
    const m = /::([a-z_ ]+(?:\[\])?)\)*$/.exec(constant.trim());
    return m ? m[1].trim() : void 0;
  }

  // plv8/advisor/candidates/sort-keys.ts
  function sortUnderLimitOn(sorts, alias) {
    return sorts.find(
      (s) => s.keys.length > 0 && s.keys.every((k) => k.alias === alias && (k.column !== null || k.expression !== void 0 && !s.overAggregate))
    );
  }
  function indexOrder(sortKeys) {
    const mirror = sortKeys[0]?.descending === true;
    return sortKeys.map((s) => {
      const descending = mirror ? !s.descending : s.descending;
      const nullsFirst = mirror ? !s.nullsFirst : s.nullsFirst;
      return { ...descending ? { descending: true } : {}, ...nullsFirst !== descending ? { nullsFirst } : {} };
    });
  }

  // plv8/advisor/candidates/composite-keys.ts
  var EQUALITY_KINDS = /* @__PURE__ */ new Set(["eq", "in", "is_null", "bool"]);
  var RANGE_KINDS = /* @__PURE__ */ new Set(["range", "prefix", "not_null"]);
  function sameKey(key, atom) {
    return atom.column !== null ? key.column === atom.column : key.expression === atom.expression;
  }
  function compositeKeys(atoms, sortKeys) {
    const keys = [];
    const find = (k) => keys.find((x) => sameKey(x, k));
    const keyOf = (a) => a.column !== null ? { column: a.column } : { expression: a.expression ?? "" };
    for (const kind of EQUALITY_KINDS) for (const a of atoms) if (a.kind === kind && !find(a)) keys.push(keyOf(a));
    const range = atoms.find((a) => RANGE_KINDS.has(a.kind));
    if (range && !find(range)) keys.push(keyOf(range));
    const order = indexOrder(sortKeys);
    sortKeys.forEach((s, n) => {
      const existing = find(s);
      const wanted = order[n];
      if (existing === void 0) keys.push({ ...keyOf(s), ...wanted });
      else if (!atoms.some((a) => EQUALITY_KINDS.has(a.kind) && sameKey(existing, a))) Object.assign(existing, wanted);
    });
    return keys;
  }

  // plv8/advisor/candidates/from-plan.ts
  function candidatesFromPlan(plan) {
    const facts = planScans(plan);
    const out = [];
    const seen = /* @__PURE__ */ new Set();
    const add = (c) => {
      if (c.keys.length === 0) return;
      const uncertain = c.uncertainty ?? (c.keys.some((k) => k.expression !== void 0) ? "expression" : void 0);
      const id = candidateId(c);
      if (seen.has(id)) return;
      seen.add(id);
      out.push(uncertain === void 0 ? c : { ...c, uncertainty: uncertain });
    };
    const joinPairs = [];
    const joinSides = [];
    for (const join of facts.joins) {
      const analysis = analyzeCondition(join.condition);
      joinPairs.push(...analysis.joins);
      joinSides.push(...analysis.joinSides);
    }
    for (const scan2 of facts.scans) {
      const atoms = [];
      let unread = false;
      for (const condition of [scan2.indexCond, scan2.filter]) {
        if (!condition) continue;
        const analysis = analyzeCondition(condition);
        atoms.push(...analysis.atoms.filter((a) => a.alias === null || a.alias === scan2.alias));
        joinPairs.push(...analysis.joins);
        joinSides.push(...analysis.joinSides);
        if (analysis.skipped.length > 0 || analysis.joins.length > 0) unread = true;
      }
      const btreeAtoms = atoms.filter((a) => a.kind !== "operator");
      const where = describeScan(scan2, atoms);
      const on = { schema: scan2.schema, table: scan2.relation };
      const sort = sortUnderLimitOn(facts.sortsUnderLimit, scan2.alias);
      const composite = compositeKeys(btreeAtoms, sort?.keys ?? []);
      const ordered = sort !== void 0 ? { ordered: true } : {};
      const equalityPrefix = composite.filter((k) => btreeAtoms.some((a) => EQUALITY_KINDS.has(a.kind) && sameKey(k, a))).length;
      const sortNote = sort ? `; Sort on ${sort.keys.map((k) => k.text).join(", ")} under a Limit` : "";
      if (composite.length > 1 || sort && composite.length > 0) {
        add({ ...on, keys: composite, equalityPrefix, ...ordered, reason: `${where}${sortNote}` });
        const pattern = withPatternOps(composite, btreeAtoms);
        if (pattern) add({ ...on, keys: pattern, equalityPrefix, ...ordered, reason: `${where}${sortNote}; LIKE prefix through text_pattern_ops` });
      }
      const lead = composite.length > 0 ? composite : [];
      const covering = includeColumns(scan2, lead, atoms, unread);
      if (covering.length > 0) {
        add({ ...on, keys: lead, include: covering, equalityPrefix, ...ordered, scanRows: scan2.planRows, reason: `${where}${sortNote}; INCLUDE ${covering.map(quoteIdent).join(", ")} so an index-only scan can answer` });
      }
      for (const atom of btreeAtoms) {
        const test = constantTest(atom);
        if (test === null || atom.column === null) continue;
        const rest = composite.filter((k) => k.column !== atom.column);
        const inPrefix = atoms.some((a) => a.column === atom.column && EQUALITY_KINDS.has(a.kind));
        add({
          ...on,
          keys: rest.length > 0 ? rest : [{ column: atom.column }],
          equalityPrefix: rest.length > 0 ? equalityPrefix - (inPrefix ? 1 : 0) : 1,
          ...ordered,
          predicate: test.predicate,
          predicateColumn: atom.column,
          predicateKind: test.kind,
          reason: `${where}${sortNote}; partial index WHERE ${test.predicate}`
        });
      }
      for (const atom of btreeAtoms) {
        if (atom.column === null) continue;
        add({ ...on, keys: [{ column: atom.column }], reason: `${where}; column ${quoteIdent(atom.column)} (${atom.kind})` });
        if (atom.kind === "prefix") add({ ...on, keys: [{ column: atom.column, opclass: PATTERN_OPS }], reason: `${where}; column ${quoteIdent(atom.column)} (LIKE prefix through text_pattern_ops)` });
      }
      for (const atom of btreeAtoms) {
        if (atom.expression === void 0) continue;
        add({ ...on, keys: [{ expression: atom.expression }], reason: `${where}; expression ${atom.expression} (${atom.kind})` });
        if (atom.kind === "prefix") add({ ...on, keys: [{ expression: atom.expression, opclass: PATTERN_OPS }], reason: `${where}; expression ${atom.expression} (LIKE prefix through text_pattern_ops)` });
      }
      for (const candidate of accessMethodCandidates(atoms)) add({ ...on, ...candidate, reason: `${where}; ${candidate.reason}` });
    }
    for (const scan2 of facts.scans) {
      for (const pair of joinPairs) {
        for (const ref of [pair.left, pair.right]) {
          if (ref.alias !== scan2.alias) continue;
          add({ schema: scan2.schema, table: scan2.relation, keys: [{ column: ref.column }], reason: `${scan2.nodeType} on ${tableName(scan2)} joined on ${pair.text}` });
        }
      }
      for (const side of joinSides) {
        if (side.alias !== scan2.alias) continue;
        const key = side.column !== null ? { column: side.column } : { expression: side.expression ?? "" };
        add({ schema: scan2.schema, table: scan2.relation, keys: [key], reason: `${scan2.nodeType} on ${tableName(scan2)} joined on ${side.text}` });
      }
    }
    return out;
  }
  function candidateId(c) {
    return JSON.stringify([
      c.schema,
      c.table,
      c.method ?? "btree",
      c.keys.map((k) => [k.column ?? null, k.expression ?? null, k.descending ?? false, k.nullsFirst ?? null, k.opclass ?? null]),
      c.include ?? [],
      c.predicate ?? null
    ]);
  }
  function constantTest(atom) {
    if (atom.column === null) return null;
    const column = quoteIdent(atom.column);
    switch (atom.kind) {
      case "is_null":
        return { predicate: `${column} IS NULL`, kind: "null-test" };
      case "not_null":
        return { predicate: `${column} IS NOT NULL`, kind: "null-test" };
      case "bool":
        return { predicate: atom.constant === "false" ? `NOT ${column}` : column, kind: "bool" };
      case "eq":
      case "in":
        if (atom.constant === void 0 || atom.constant.includes("$")) return null;
        return { predicate: atom.kind === "eq" ? `${column} = ${atom.constant}` : `${column} = ANY (${atom.constant})`, kind: "value" };
      default:
        return null;
    }
  }
  var PATTERN_OPS = "text_pattern_ops";
  function withPatternOps(keys, atoms) {
    const prefix = atoms.find((a) => a.kind === "prefix");
    if (!prefix) return null;
    const at = keys.findIndex((k) => prefix.column !== null ? k.column === prefix.column : k.expression === prefix.expression);
    if (at < 0) return null;
    return keys.map((k, n) => n === at ? { ...k, opclass: PATTERN_OPS } : k);
  }
  var MAX_INCLUDE = 3;
  var SYSTEM_COLUMNS = /* @__PURE__ */ new Set(["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"]);
  function includeColumns(scan2, keys, atoms, unread) {
    if (keys.length === 0 || unread || !scan2.output || scan2.output.length === 0) return [];
    if (atoms.some((a) => a.column === null)) return [];
    const wanted = [];
    for (const item of scan2.output) {
      const refs = columnsIn(item);
      if (refs === null || refs.length === 0) return [];
      for (const ref of refs) {
        if (ref.alias !== null && ref.alias !== scan2.alias || SYSTEM_COLUMNS.has(ref.column)) return [];
        wanted.push(ref.column);
      }
    }
    for (const atom of atoms) if (atom.column !== null) wanted.push(atom.column);
    const extra = [...new Set(wanted)].filter((column) => !keys.some((k) => k.column === column));
    return extra.length > 0 && extra.length <= MAX_INCLUDE ? extra : [];
  }
  function describeScan(scan2, atoms) {
    let text = `${scan2.nodeType} on ${tableName(scan2)}`;
    if (scan2.rowsRemovedByFilter !== void 0 && scan2.actualRows !== void 0 && scan2.rowsRemovedByFilter + scan2.actualRows > 0) {
      text += ` reads ${scan2.rowsRemovedByFilter + scan2.actualRows} rows to return ${scan2.actualRows}`;
    } else if (scan2.nodeType === "Seq Scan") {
      text += ` reads the whole table to return about ${scan2.planRows} rows (planner estimate)`;
    } else {
      text += ` returns about ${scan2.planRows} rows at a cost of ${scan2.totalCost} (planner estimates)`;
    }
    if (atoms.length > 0) {
      const parts = atoms.map((a) => {
        const target = a.column !== null ? quoteIdent(a.column) : a.expression ?? "?";
        if (a.kind === "is_null" || a.kind === "not_null") return `${target} ${a.operator}`;
        if (a.kind === "bool") return a.constant === "false" ? `NOT ${target}` : target;
        return a.kind === "in" ? `${target} = ANY (${a.constant ?? ""})` : `${target} ${a.operator} ${a.constant ?? ""}`;
      });
      text += `; ${scan2.filter && !scan2.indexCond ? "filter" : "condition"} ${parts.join(" AND ")}`;
    }
    return text;
  }
  function tableName(scan2) {
    const name = `${quoteIdent(scan2.schema)}.${quoteIdent(scan2.relation)}`;
    return scan2.alias !== scan2.relation ? `${name} as ${quoteIdent(scan2.alias)}` : name;
  }

  // plv8/advisor/candidates/or-arms.ts
  function indexSetsFromPlan(plan) {
    const sets = [];
    for (const scan2 of planScans(plan).scans) {
      const mine = (a) => a.alias === null || a.alias === scan2.alias;
      for (const condition of [scan2.filter, scan2.recheckCond ?? scan2.indexCond]) {
        if (!condition) continue;
        const analysis = analyzeCondition(condition);
        const anded = analysis.atoms.filter((a) => mine(a) && a.kind !== "operator");
        for (const group of analysis.ors) {
          if (!group.arms.every((arm) => arm.every((a) => mine(a) && a.kind !== "operator"))) continue;
          const set = group.arms.map((arm, n) => {
            const atoms = [...anded, ...arm];
            const keys = compositeKeys(atoms, []);
            return {
              schema: scan2.schema,
              table: scan2.relation,
              keys,
              equalityPrefix: keys.filter((k) => atoms.some((a) => EQUALITY_KINDS.has(a.kind) && sameKey(k, a))).length,
              reason: `${scan2.nodeType} on ${quoteIdent(scan2.schema)}.${quoteIdent(scan2.relation)} tests ${group.text}: arm ${n + 1} of ${group.arms.length}, one index per arm for a BitmapOr`
            };
          });
          if (new Set(set.map((c) => JSON.stringify(c.keys))).size === set.length) sets.push(set);
        }
      }
    }
    return sets;
  }

  // plv8/advisor/candidates/unjudged.ts
  var UNJUDGED_MIN_BYTES = 1024 * 1024;
  var OPCLASS_SQL = `select exists (select 1 from pg_opclass c join pg_am m on m.oid = c.opcmethod where c.opcname = $1 and m.amname = $2) as present`;
  function* methodAvailable(candidate) {
    for (const key of candidate.keys) {
      if (key.opclass === void 0) continue;
      const rows = yield { sql: OPCLASS_SQL, params: [key.opclass, candidate.method ?? "btree"] };
      if (rows[0]?.present !== true) return false;
    }
    return true;
  }
  function scanShare(plans2, table, tables, costBefore) {
    if (!(costBefore > 0)) return 0;
    let share = 0;
    for (const plan of plans2) {
      let cost = 0;
      for (const scan2 of planScans(plan).scans) {
        const root = tables.get(`${scan2.schema}.${scan2.relation}`);
        const onTable = root ? root.schema === table.schema && root.table === table.table : scan2.schema === table.schema && scan2.relation === table.table;
        if (onTable) cost += scan2.totalCost;
      }
      share = Math.max(share, Math.min(1, cost / costBefore));
    }
    return share;
  }

  // plv8/catalog/column-selectivity.ts
  var DISTINCT_SQL = `
select distinct on (attname) attname::text as column_name, n_distinct::float8 as n_distinct
  from pg_stats where schemaname = $1 and tablename = $2
 order by attname, inherited desc`;
  function* columnDistinct(table) {
    const rows = yield { sql: DISTINCT_SQL, params: [table.schema, table.table] };
    const out = /* @__PURE__ */ new Map();
    for (const row of rows) {
      const n = Number(row.n_distinct);
      out.set(String(row.column_name), n < 0 ? -n * table.rows : n);
    }
    return out;
  }
  function mostSelectiveFirst(candidate, distinct2) {
    const n = candidate.equalityPrefix ?? 0;
    if (n < 2) return candidate;
    const rank = (column) => column !== void 0 ? distinct2.get(column) ?? -1 : -1;
    const head = candidate.keys.slice(0, n).map((key, at) => ({ key, at })).sort((a, b) => rank(b.key.column) - rank(a.key.column) || a.at - b.at).map(({ key }) => key);
    return { ...candidate, keys: [...head, ...candidate.keys.slice(n)] };
  }

  // plv8/catalog/existing-indexes.ts
  var EXISTING_INDEXES_SQL = `
select c.oid::regclass::text as name,
       am.amname::text as method,
       i.indisunique as is_unique,
       pg_get_expr(i.indpred, i.indrelid) as predicate,
       array(select coalesce(a.attname::text, '')
               from generate_series(1, i.indnkeyatts) as k(n)
               left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.n - 1] and i.indkey[k.n - 1] > 0
              order by k.n)::text[] as key_columns,
       array(select pg_get_indexdef(i.indexrelid, k.n, true) from generate_series(1, i.indnkeyatts) as k(n) order by k.n)::text[] as key_texts,
       array(select (i.indoption[k.n - 1] & 1) = 1 from generate_series(1, i.indnkeyatts) as k(n) order by k.n)::bool[] as key_desc,
       array(select (i.indoption[k.n - 1] & 2) = 2 from generate_series(1, i.indnkeyatts) as k(n) order by k.n)::bool[] as key_nulls_first,
       array(select case when opc.opcdefault then '' else opc.opcname::text end
               from generate_series(1, i.indnkeyatts) as k(n) join pg_opclass opc on opc.oid = i.indclass[k.n - 1]
              order by k.n)::text[] as key_opclasses,
       array(select a.attname::text from generate_series(i.indnkeyatts + 1, i.indnatts) as k(n)
               join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.n - 1]
              order by k.n)::text[] as include_columns
  from pg_index i
  join pg_class c on c.oid = i.indexrelid
  join pg_am am on am.oid = c.relam
 where i.indrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass
   and i.indisvalid
 order by c.relname collate "C"`;
  function* existingIndexes(schema, table) {
    const rows = yield { sql: EXISTING_INDEXES_SQL, params: [schema, table] };
    return rows.map(toExistingIndex);
  }
  function toExistingIndex(row) {
    const columns = row.key_columns ?? [];
    const texts = row.key_texts ?? [];
    const desc = row.key_desc ?? [];
    const nullsFirst = row.key_nulls_first ?? [];
    const opclasses = row.key_opclasses ?? [];
    return {
      name: String(row.name),
      method: String(row.method),
      keys: columns.map((column, n) => {
        const key = column !== "" ? { column } : { expression: texts[n] ?? "" };
        if (desc[n] === true) key.descending = true;
        if (nullsFirst[n] !== void 0 && nullsFirst[n] !== (desc[n] === true)) key.nullsFirst = nullsFirst[n];
        if (opclasses[n]) key.opclass = opclasses[n];
        return key;
      }),
      include: row.include_columns ?? [],
      predicate: row.predicate === null || row.predicate === void 0 ? null : String(row.predicate),
      unique: row.is_unique === true
    };
  }
  function servedByExisting(candidate, existing) {
    return existing.some(
      (index) => index.method === (candidate.method ?? "btree") && samePredicate(index.predicate, candidate.predicate ?? null) && isLeadingPrefix(candidate.keys, index.keys, candidate.ordered === true) && (candidate.include ?? []).every((column) => index.include.includes(column) || index.keys.some((k) => k.column === column))
    );
  }
  function duplicatesExisting(candidate, existing) {
    return servedByExisting(candidate, existing.filter((index) => index.keys.length === candidate.keys.length));
  }
  function samePredicate(a, b) {
    if (a === null || b === null) return a === b;
    return normalizeExpression(a) === normalizeExpression(b);
  }
  function isLeadingPrefix(keys, of, ordered = true) {
    if (keys.length === 0 || keys.length > of.length) return false;
    let same = true;
    let reversed = true;
    for (let n = 0; n < keys.length; n++) {
      const a = keys[n];
      const b = of[n];
      if (!sameTarget(a, b)) return false;
      const [aDesc, aNulls] = ordering(a);
      const [bDesc, bNulls] = ordering(b);
      if (aDesc !== bDesc || aNulls !== bNulls) same = false;
      if (aDesc === bDesc || aNulls === bNulls) reversed = false;
    }
    return !ordered || same || reversed;
  }
  function ordering(key) {
    const descending = key.descending ?? false;
    return [descending, key.nullsFirst ?? descending];
  }
  function sameTarget(a, b) {
    if ((a.opclass ?? "") !== (b.opclass ?? "")) return false;
    if (a.column !== void 0 || b.column !== void 0) return a.column === b.column;
    return normalizeExpression(a.expression ?? "") === normalizeExpression(b.expression ?? "");
  }
  function normalizeExpression(text) {
    let t = text.replace(/\s+/g, "");
    while (t.startsWith("(") && t.endsWith(")") && balanced(t.slice(1, -1))) t = t.slice(1, -1);
    return t;
  }
  function balanced(text) {
    let depth = 0;
    for (const ch of text) {
      if (ch === "(") depth++;
      else if (ch === ")" && --depth < 0) return false;
    }
    return depth === 0;
  }

  // plv8/engine/guard/guard-sql.ts
  var ROWS_LIMIT = 2e5;
  var GUARD_ROLLBACK_STATE = "OSGRD";
  var GUARD_FUNCTIONS = [
    "pg_temp.optischema_guarded_plan(text, text, text, text, text, text[])",
    "pg_temp.optischema_guard_role(text)",
    "pg_temp.optischema_guard_close()",
    "pg_temp.optischema_unsafe_reasons(oid)",
    "pg_temp.optischema_hypo_create(text)",
    "pg_temp.optischema_hypo_drop(oid)",
    "pg_temp.optischema_hypo_size(oid)",
    "pg_temp.optischema_hypo_reset()",
    "pg_temp.optischema_hypo_plans(text[], float8, text, text, jsonb)"
  ];
  var HARMLESS_NODES = [
    "QUERY",
    "RANGETBLENTRY",
    "ALIAS",
    "FROMEXPR",
    "JOINEXPR",
    "RANGETBLREF",
    "RANGETBLFUNCTION",
    "TARGETENTRY",
    "VAR",
    "CONST",
    "PARAM",
    "FUNCEXPR",
    "NAMEDARGEXPR",
    "OPEXPR",
    "DISTINCTEXPR",
    "NULLIFEXPR",
    "SCALARARRAYOPEXPR",
    "ROWCOMPAREEXPR",
    "BOOLEXPR",
    "SUBLINK",
    "FIELDSELECT",
    "RELABELTYPE",
    "COERCEVIAIO",
    "ARRAYCOERCEEXPR",
    "CONVERTROWTYPEEXPR",
    "COLLATEEXPR",
    "CASEEXPR",
    "CASEWHEN",
    "CASETESTEXPR",
    "ARRAYEXPR",
    "ROWEXPR",
    "COALESCEEXPR",
    "MINMAXEXPR",
    "SQLVALUEFUNCTION",
    "NULLTEST",
    "BOOLEANTEST",
    "AGGREF",
    "GROUPINGFUNC",
    "WINDOWFUNC",
    "WINDOWCLAUSE",
    "SORTGROUPCLAUSE",
    "GROUPINGSET",
    "COMMONTABLEEXPR",
    "SETOPERATIONSTMT",
    "SUBSCRIPTINGREF"
  ];
  var SQL_RUNNING_FUNCTIONS = [
    "query_to_xml",
    "query_to_xmlschema",
    "query_to_xml_and_xmlschema",
    "cursor_to_xml",
    "cursor_to_xmlschema",
    "table_to_xml",
    "table_to_xmlschema",
    "table_to_xml_and_xmlschema",
    "schema_to_xml",
    "schema_to_xmlschema",
    "schema_to_xml_and_xmlschema",
    "database_to_xml",
    "database_to_xmlschema",
    "database_to_xml_and_xmlschema",
    "ts_stat"
  ];
  var sqlArray = (items) => `array[${items.map((item) => `'${item}'`).join(", ")}]`;
  var UNSAFE_REASONS_SQL = `
create or replace function pg_temp.optischema_unsafe_reasons(p_view oid) returns text[]
language sql stable set search_path = pg_catalog, pg_temp as $reasons$
with recursive rels(relid) as (
  select p_view
  union
  select x.relid
    from rels,
         lateral (select m[1]::oid as relid
                    from pg_rewrite rw, regexp_matches(rw.ev_action::text, ':relid (\\d+)', 'g') m
                   where rw.ev_class = rels.relid and rw.ev_type = '1'
                  union all
                  select m[1]::oid
                    from pg_policy p, regexp_matches(coalesce(p.polqual::text, '') || ' ' || coalesce(p.polwithcheck::text, ''), ':relid (\\d+)', 'g') m
                   where p.polrelid = rels.relid
                  union all
                  select i.inhrelid from pg_inherits i where i.inhparent = rels.relid) x
), trees(tree) as (
  select rw.ev_action::text from rels join pg_rewrite rw on rw.ev_class = rels.relid and rw.ev_type = '1'
  union all
  select coalesce(p.polqual::text, '') || ' ' || coalesce(p.polwithcheck::text, '') from rels join pg_policy p on p.polrelid = rels.relid
)
select coalesce(array_agg(distinct r.reason order by r.reason), '{}') from (
  select format('reads %s, which is %s', c.oid::regclass,
                case c.relkind when 'f' then 'a foreign table' when 'S' then 'a sequence' else 'not a table or view' end) as reason
    from rels join pg_class c on c.oid = rels.relid
   where c.relkind not in ('r', 'p', 'v', 'm')
  union all
  select format('contains a %s expression', lower(m[1]))
    from trees, regexp_matches(trees.tree, '\\{([A-Z_]+)', 'g') m
   where m[1] <> all (${sqlArray(HARMLESS_NODES)})
  union all
  select format('calls %s, which is %s', p.oid::regprocedure,
                case when p.oid >= 16384 then 'not built in' when p.provolatile = 'v' then 'volatile' else 'a function that runs SQL' end)
    from trees, regexp_matches(trees.tree, ':(?:funcid|opfuncid|winfnoid|aggfnoid|hashfuncid|negfuncid) (\\d+)', 'g') m
    join pg_proc p on p.oid = m[1]::oid
   where p.oid >= 16384 or p.provolatile = 'v' or p.proname = any (${sqlArray(SQL_RUNNING_FUNCTIONS)})
  union all
  select format('uses the operator %s, which is not built in', o.oid::regoperator)
    from trees,
         lateral (select m[1]::oid as oid from regexp_matches(trees.tree, ':(?:opno|eqop|sortop) (\\d+)', 'g') m
                  union all
                  select unnest(string_to_array(btrim(m[1]), ' '))::oid from regexp_matches(trees.tree, ':opnos \\(o([ 0-9]*)\\)', 'g') m) op
    join pg_operator o on o.oid = op.oid
   where o.oid >= 16384
  union all
  select format('casts to the domain %s, whose constraints would run', t.oid::regtype)
    from trees, regexp_matches(trees.tree, ':resulttype (\\d+)', 'g') m
    join pg_type t on t.oid = m[1]::oid
   where t.typtype = 'd'
  union all
  select 'writes or locks rows'
    from trees
   where trees.tree ~ ':commandType [02-9]' or trees.tree ~ ':hasModifyingCTE true' or trees.tree ~ ':hasForUpdate true'
) r
$reasons$`;
  var DEFINER_BODY = `
declare
  v_pinned constant text := 'pg_catalog, pg_temp';
  v_row record;
  v_plan json;
  v_types text[];
  v_sql text;
  v_view text;
  v_reasons text[];
  v_hashes text[] := '{}';
  v_count bigint := 0;
  v_truncated boolean := false;
  v_ordered text;
  v_multiset text;
begin
  if p_kind not in ('explain', 'generic', 'custom', 'analyze', 'rows') then
    raise exception 'unknown planning kind %', p_kind using errcode = '22023';
  end if;
  if p_kind in ('analyze', 'rows') then
    v_view := 'optischema_check_' || md5(p_prepared);
    -- Parse analysis only: the view is made, not run. As a subquery, so a column of a pseudo-type
    -- (select pg_sleep(1)) or a duplicate name does not stop the view from being made.
    v_sql := format('create temporary view %I as select from (%s) as optischema_checked', v_view, p_check_text);
    perform set_config('search_path', p_search_path, true);
    execute v_sql;
    perform pg_catalog.set_config('search_path', v_pinned, true);
    v_reasons := pg_temp.optischema_unsafe_reasons(to_regclass('pg_temp.' || quote_ident(v_view))::oid);
    if cardinality(v_reasons) > 0 then
      return jsonb_build_object('refused', to_jsonb(v_reasons));
    end if;
  end if;
  perform set_config('transaction_read_only', 'on', true);
  perform set_config('plan_cache_mode', case when p_kind = 'generic' then 'force_generic_plan' else 'force_custom_plan' end, true);
  if p_kind = 'rows' then
    if p_values is null then
      v_sql := p_statement;
    else
      perform set_config('search_path', p_search_path, true);
      execute format('prepare %I as %s', p_prepared, p_statement);
      perform pg_catalog.set_config('search_path', v_pinned, true);
      v_sql := format('execute %I', p_prepared)
               || case when cardinality(p_values) > 0 then '(' || array_to_string(array(select quote_nullable(v) from unnest(p_values) v), ', ') || ')' else '' end;
    end if;
    -- The author's path is in force while the rows arrive: every call in the loop is qualified.
    perform set_config('search_path', p_search_path, true);
    for v_row in execute v_sql loop
      v_count := v_count operator(pg_catalog.+) 1;
      if v_count operator(pg_catalog.>) ${ROWS_LIMIT} then
        v_truncated := true;
        exit;
      end if;
      v_hashes := pg_catalog.array_append(v_hashes, pg_catalog.md5(v_row::text));
    end loop;
    perform pg_catalog.set_config('search_path', v_pinned, true);
    select md5(string_agg(h, '' order by n)), md5(string_agg(h, '' order by h collate "C")) into v_ordered, v_multiset
      from unnest(v_hashes) with ordinality u(h, n);
    return jsonb_build_object('rows', jsonb_build_object('count', least(v_count, ${ROWS_LIMIT}), 'truncated', v_truncated,
                                                         'ordered', coalesce(v_ordered, ''), 'multiset', coalesce(v_multiset, '')));
  end if;
  if p_kind = 'explain' or (p_kind = 'analyze' and p_values is null) then
    v_sql := case when p_kind = 'explain' then 'explain (verbose, format json) ' else 'explain (analyze, buffers, verbose, format json) ' end || p_statement;
    perform set_config('search_path', p_search_path, true);
    for v_row in execute v_sql loop
      v_plan := v_row."QUERY PLAN";
    end loop;
    perform pg_catalog.set_config('search_path', v_pinned, true);
    return jsonb_build_object('plan', v_plan);
  end if;
  v_sql := format('prepare %I as %s', p_prepared, p_statement);
  perform set_config('search_path', p_search_path, true);
  execute v_sql;
  perform pg_catalog.set_config('search_path', v_pinned, true);
  select s.parameter_types::text[] into v_types from pg_prepared_statements s where s.name = p_prepared;
  if p_kind = 'generic' then
    v_sql := format('explain (verbose, format json) execute %I', p_prepared)
             || case when cardinality(v_types) > 0 then '(' || array_to_string(array_fill('null'::text, array[cardinality(v_types)]), ', ') || ')' else '' end;
  else
    if cardinality(v_types) is distinct from cardinality(p_values) then
      raise exception 'the statement has % parameter(s) but % value(s) were given', coalesce(cardinality(v_types), 0), cardinality(p_values)
        using errcode = '22023';
    end if;
    v_sql := format(case when p_kind = 'custom' then 'explain (verbose, format json) execute %I' else 'explain (analyze, buffers, verbose, format json) execute %I' end, p_prepared)
             || case when cardinality(p_values) > 0 then '(' || array_to_string(array(select quote_nullable(v) from unnest(p_values) v), ', ') || ')' else '' end;
  end if;
  perform set_config('search_path', p_search_path, true);
  for v_row in execute v_sql loop
    v_plan := v_row."QUERY PLAN";
  end loop;
  perform pg_catalog.set_config('search_path', v_pinned, true);
  return jsonb_build_object('plan', v_plan, 'parameterTypes', to_jsonb(coalesce(v_types, '{}')));
end`;
  var GUARD_ROLE_SQL = `
create or replace function pg_temp.optischema_guard_role(p_role text) returns text
language plpgsql volatile set search_path = pg_catalog, pg_temp as $role$
declare
  v_caller constant text := current_user;
  v_saved constant text := current_setting('role');
  v_function constant text := format('pg_temp.%I', 'optischema_plan_as_' || md5(p_role));
  v_signature constant text := v_function || '(text, text, text, text, text, text[])';
begin
  perform set_config('role', p_role, true);
  execute format('drop function if exists %s', v_signature);
  execute format('create function %s(p_search_path text, p_kind text, p_statement text, p_check_text text, p_prepared text, p_values text[]) '
                 'returns jsonb language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as %L',
                 v_function, $definer$${DEFINER_BODY}$definer$);
  execute format('revoke all on function %s from public', v_signature);
  if v_caller <> p_role then
    execute format('grant execute on function %s to %I', v_signature, v_caller);
  end if;
  perform set_config('role', v_saved, true);
  return v_signature;
exception when others then
  perform set_config('role', v_saved, true);
  raise;
end
$role$`;
  var GUARDED_PLAN_SQL = `
create or replace function pg_temp.optischema_guarded_plan(
  p_role text, p_search_path text, p_kind text, p_statement text, p_check_text text, p_values text[]
) returns jsonb language plpgsql volatile set search_path = pg_catalog, pg_temp as $guard$
declare
  v_name constant text := 'optischema_plan_as_' || md5(p_role);
  -- One name for every call: pg_stat_statements records each EXPLAIN EXECUTE as a utility
  -- statement by its text, and a fresh name per call made each one a new entry (thousands per
  -- analysis), evicting the application's own statements once pg_stat_statements.max was reached.
  -- Nothing else can hold the name: the call deallocates whatever it prepared.
  v_prepared constant text := 'optischema_planned_statement';
  v_definer oid;
  v_locks text[];
  v_statements text[];
  v_result jsonb;
  v_done boolean := false;
  v_state text;
  v_message text;
  v_detail text;
  v_hint text;
  v_context text;
  v_lock record;
  v_key bigint;
  v_name_left text;
begin
  -- With standard_conforming_strings off, '\\'' means something else and no lexer can be trusted.
  if current_setting('standard_conforming_strings') <> 'on' then
    raise exception 'OptiSchema plans statements only with standard_conforming_strings on (it is off in this session)'
      using errcode = '55000', hint = 'SET standard_conforming_strings = on; or ALTER DATABASE … SET standard_conforming_strings = on';
  end if;
  select p.oid into v_definer
    from pg_proc p
   where p.pronamespace = pg_my_temp_schema() and p.proname = v_name and p.prosecdef
     and p.proowner = (select r.oid from pg_roles r where r.rolname = p_role);
  if v_definer is null then
    raise exception 'no planning function for role % in this session (it was never made, or was dropped or changed)', p_role
      using errcode = '55000';
  end if;
  select array_agg(format('%s/%s/%s/%s', l.classid, l.objid, l.objsubid, l.mode)) into v_locks
    from pg_locks l where l.locktype = 'advisory' and l.pid = pg_backend_pid();
  if exists (select from pg_prepared_statements s where s.name = v_prepared) then
    execute format('deallocate %I', v_prepared);
  end if;
  select array_agg(s.name) into v_statements from pg_prepared_statements s;
  begin
    if p_kind not in ('analyze', 'rows') then
      perform set_config('transaction_read_only', 'on', true);
    end if;
    execute format('select pg_temp.%I($1, $2, $3, $4, $5, $6)', v_name) into v_result
      using p_search_path, p_kind, p_statement, p_check_text, v_prepared, p_values;
    v_done := true;
    raise sqlstate '${GUARD_ROLLBACK_STATE}';
  exception
    when sqlstate '${GUARD_ROLLBACK_STATE}' then
      if not v_done then
        v_state := '${GUARD_ROLLBACK_STATE}';
        v_message := 'the statement raised the SQLSTATE OptiSchema''s guard uses for itself';
      end if;
    when query_canceled or assert_failure or others then
      get stacked diagnostics v_state = returned_sqlstate, v_message = message_text, v_detail = pg_exception_detail,
                              v_hint = pg_exception_hint, v_context = pg_exception_context;
      -- An error raised inside a function the statement runs (any context line that is not the
      -- guard's own) may carry whatever that function read with the planning role's rights: its
      -- text is withheld. PostgreSQL's own errors (unknown column, syntax, timeout) come with no
      -- such context and are kept as they are.
      if exists (select from regexp_split_to_table(coalesce(v_context, ''), E'
') c
                  where c <> '' and c !~ 'optischema_(plan_as_[0-9a-f]{32}|guarded_plan|hypo_plans)\\(' and c !~ '^SQL statement "') then
        v_message := format('the statement raised an error inside a function it runs (SQLSTATE %s); its message is withheld, '
                            'as it was written by that function, not by PostgreSQL', v_state);
        v_detail := null;
        v_hint := null;
      end if;
  end;
  -- Session-level advisory locks and prepared statements outlive the rollback: undo what the call left.
  for v_lock in
    select l.classid, l.objid, l.objsubid, l.mode from pg_locks l
     where l.locktype = 'advisory' and l.pid = pg_backend_pid()
       and format('%s/%s/%s/%s', l.classid, l.objid, l.objsubid, l.mode) <> all (coalesce(v_locks, '{}'))
  loop
    if v_lock.objsubid = 1 then
      v_key := (v_lock.classid::bigint << 32) | v_lock.objid::bigint;
      if v_lock.mode = 'ShareLock' then
        while pg_advisory_unlock_shared(v_key) loop end loop;
      else
        while pg_advisory_unlock(v_key) loop end loop;
      end if;
    else
      if v_lock.mode = 'ShareLock' then
        while pg_advisory_unlock_shared((v_lock.classid::bigint - case when v_lock.classid::bigint >= 2147483648 then 4294967296 else 0 end)::int4,
                                        (v_lock.objid::bigint - case when v_lock.objid::bigint >= 2147483648 then 4294967296 else 0 end)::int4) loop end loop;
      else
        while pg_advisory_unlock((v_lock.classid::bigint - case when v_lock.classid::bigint >= 2147483648 then 4294967296 else 0 end)::int4,
                                 (v_lock.objid::bigint - case when v_lock.objid::bigint >= 2147483648 then 4294967296 else 0 end)::int4) loop end loop;
      end if;
    end if;
  end loop;
  for v_name_left in select s.name from pg_prepared_statements s where s.name <> all (coalesce(v_statements, '{}')) loop
    execute format('deallocate %I', v_name_left);
  end loop;
  if v_state is not null then
    raise exception using errcode = v_state, message = v_message, detail = coalesce(v_detail, ''), hint = coalesce(v_hint, '');
  end if;
  return v_result;
end
$guard$`;
  var GUARD_CLOSE_SQL = `
create or replace function pg_temp.optischema_guard_close() returns void
language plpgsql volatile set search_path = pg_catalog, pg_temp as $close$
declare
  v_saved constant text := current_setting('role');
  v_fn record;
begin
  for v_fn in
    select p.oid::regprocedure::text as signature, p.proowner::regrole::text as owner
      from pg_proc p where p.pronamespace = pg_my_temp_schema() and p.proname like 'optischema\\_plan\\_as\\_%'
  loop
    perform set_config('role', v_fn.owner, true);
    execute format('drop function if exists %s', v_fn.signature);
  end loop;
  perform set_config('role', v_saved, true);
exception when others then
  perform set_config('role', v_saved, true);
  raise;
end
$close$`;
  var hypopgWrapper = (signature, returns, call) => `
if v_hypopg is null then
  create or replace function pg_temp.${signature} returns ${returns}
  language plpgsql volatile set search_path = pg_catalog, pg_temp as $hypo$
  begin
    raise exception 'hypopg is not created in this database' using errcode = '55000', hint = 'CREATE EXTENSION hypopg;';
  end
  $hypo$;
else
  execute format($wrapper$
    create or replace function pg_temp.${signature} returns ${returns}
    language plpgsql volatile set search_path = pg_catalog, pg_temp as $hypo$
    begin
      ${call}
    end
    $hypo$$wrapper$, v_hypopg);
end if`;
  var HYPOPG_SQL = [
    hypopgWrapper(
      "optischema_hypo_create(p_ddl text)",
      "table (indexrelid oid, indexname text)",
      "return query select h.indexrelid, h.indexname from %1$I.hypopg_create_index(p_ddl) h;"
    ),
    hypopgWrapper("optischema_hypo_drop(p_index oid)", "boolean", "return %1$I.hypopg_drop_index(p_index);"),
    hypopgWrapper("optischema_hypo_size(p_index oid)", "bigint", "return %1$I.hypopg_relation_size(p_index);"),
    hypopgWrapper("optischema_hypo_reset()", "void", "perform %1$I.hypopg_reset();")
  ];
  var HYPO_PLANS_SQL = `
create or replace function pg_temp.optischema_hypo_plans(p_ddls text[], p_max_bytes float8, p_role text, p_search_path text, p_requests jsonb)
returns jsonb language plpgsql volatile set search_path = pg_catalog, pg_temp as $plans$
declare
  v_ddl text;
  v_index record;
  v_oids oid[] := '{}';
  v_indexes jsonb := '[]';
  v_results jsonb := '[]';
  v_request jsonb;
  v_values text[];
  v_fits boolean := true;
begin
  begin
    foreach v_ddl in array p_ddls loop
      select h.indexrelid, h.indexname, pg_temp.optischema_hypo_size(h.indexrelid) as bytes into v_index
        from pg_temp.optischema_hypo_create(v_ddl) h;
      v_oids := v_oids || v_index.indexrelid;
      v_indexes := v_indexes || jsonb_build_array(jsonb_build_object('indexrelid', v_index.indexrelid, 'name', v_index.indexname, 'bytes', v_index.bytes));
      if p_max_bytes is not null and v_index.bytes > p_max_bytes then
        v_fits := false;
      end if;
    end loop;
    if v_fits then
      for v_request in select r.value from pg_catalog.jsonb_array_elements(p_requests) with ordinality r(value, n) order by r.n loop
        v_values := case when jsonb_typeof(v_request->'values') = 'array' then array(select v.value #>> '{}' from pg_catalog.jsonb_array_elements(v_request->'values') with ordinality v(value, n) order by v.n) end;
        -- On one line: the guard withholds an error's message when a line of its context is not its own.
        v_results := v_results || jsonb_build_array(pg_temp.optischema_guarded_plan(p_role, p_search_path, v_request->>'kind', v_request->>'statement', null, v_values));
      end loop;
    end if;
  exception when others then
    -- hypopg's indexes live in the backend, not in the subtransaction this block rolls back.
    perform pg_temp.optischema_hypo_drop(o) from unnest(v_oids) o;
    raise;
  end;
  perform pg_temp.optischema_hypo_drop(o) from unnest(v_oids) o;
  return jsonb_build_object('indexes', v_indexes, 'results', case when v_fits then v_results end);
end
$plans$`;
  var GUARD_REVOKE_SQL = `revoke all on function ${GUARD_FUNCTIONS.filter((f) => !f.includes("unsafe_reasons")).join(", ")} from public`;
  var GUARD_INSTALL_SQL = `do $install$
declare
  v_hypopg constant text := (select n.nspname from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace where e.extname = 'hypopg');
begin
${[UNSAFE_REASONS_SQL, GUARD_ROLE_SQL, GUARDED_PLAN_SQL, GUARD_CLOSE_SQL, ...HYPOPG_SQL, HYPO_PLANS_SQL, GUARD_REVOKE_SQL].map((sql) => `${sql.trim()};`).join("\n")}
end
$install$`;
  var GUARD_DROP_SQL = `drop function if exists ${GUARD_FUNCTIONS.join(", ")}`;

  // plv8/engine/guard/guarded-plan.ts
  function* openGuard(planners) {
    const mode = yield { sql: `select current_setting('standard_conforming_strings') as mode`, params: [] };
    if (mode[0]?.mode !== "on") {
      throw new Error("OptiSchema plans statements only with standard_conforming_strings on; it is off in this session: SET standard_conforming_strings = on");
    }
    yield { sql: GUARD_INSTALL_SQL, params: [], command: true };
    const roles = [...new Set(planners.map((p) => p.role))].sort();
    if (roles.length > 0) yield { sql: "select pg_temp.optischema_guard_role(r) as planning_function from unnest($1::text[]) r", params: [roles] };
  }
  function* closeGuard() {
    const installed = yield { sql: `select to_regprocedure('pg_temp.optischema_guard_close()') is not null as installed`, params: [] };
    if (installed[0]?.installed === true) yield { sql: "select pg_temp.optischema_guard_close() is null as closed", params: [] };
    yield { sql: GUARD_DROP_SQL, params: [], command: true };
  }
  function* guardedPlan(planner, kind, statement, extra = {}) {
    let rows;
    try {
      rows = yield {
        sql: "select pg_temp.optischema_guarded_plan($1, $2, $3, $4, $5, $6::text[]) as result",
        params: [planner.role, planner.searchPath, kind, statement, extra.checkText ?? null, extra.values ? [...extra.values] : null]
      };
    } catch (error) {
      throw explainedRefusal(planner, error);
    }
    return guardResult(rows[0]?.result);
  }
  function explainedRefusal(planner, error) {
    if (planner.as !== "analysis" || error?.code !== "42501") return error;
    const explained = new Error(
      `${error.message}: statements of ${planner.author} are planned as ${planner.role}, which may only read; a writing statement is planned with its author's rights, so run the application as a role that is not a superuser (docs/security.md)`,
      { cause: error }
    );
    return Object.assign(explained, { code: "42501" });
  }
  function guardResult(value) {
    const result = typeof value === "string" ? JSON.parse(value) : value;
    if (result === null || typeof result !== "object") throw new Error("the planning guard returned nothing");
    const plan = typeof result.plan === "string" ? JSON.parse(result.plan) : result.plan;
    return { ...result, ...plan === void 0 ? {} : { plan } };
  }

  // plv8/advisor/candidates/partial-predicate.ts
  var MAX_PARTIAL_DISTINCT = 100;
  var MAX_PARTIAL_SHARE = 0.1;
  var STATUS_CATEGORIES = /* @__PURE__ */ new Set(["B", "E", "S"]);
  var COLUMN_SQL = `
select t.typcategory::text as category,
       (select s.n_distinct::float8 from pg_stats s
         where s.schemaname = $1 and s.tablename = $2 and s.attname = $3
         order by s.inherited desc limit 1) as n_distinct
  from pg_attribute a join pg_type t on t.oid = a.atttypid
 where a.attrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass and a.attname = $3 and not a.attisdropped`;
  function* partialPredicateFits(table, test, planner) {
    if (test.kind === "value") {
      const rows2 = yield { sql: COLUMN_SQL, params: [table.schema, table.table, test.column] };
      const distinct2 = Number(rows2[0]?.n_distinct ?? NaN);
      if (!(distinct2 > 0 && distinct2 <= MAX_PARTIAL_DISTINCT)) return false;
      if (!test.known && !STATUS_CATEGORIES.has(String(rows2[0]?.category ?? ""))) return false;
    }
    const { plan } = yield* guardedPlan(planner, "explain", `SELECT FROM ${quoteIdent(table.schema)}.${quoteIdent(table.table)} WHERE ${test.predicate}`);
    const rows = Number(rootPlan(plan)?.[EXPLAIN.planRows] ?? NaN);
    return table.rows > 0 && rows / table.rows <= MAX_PARTIAL_SHARE;
  }

  // plv8/catalog/table-facts.ts
  var STATISTICS_MISSING = "the table was never analyzed: its rows are the planner's estimate from its pages and its columns have no statistics, so estimates may be far off (run ANALYZE on it)";
  var TABLE_FACTS_SQL = `
with target as (select (quote_ident($1) || '.' || quote_ident($2))::regclass::oid as oid),
     root as (select coalesce(pg_partition_root(target.oid)::oid, target.oid) as oid from target),
     parts as (select coalesce((select array_agg(t.relid::oid) from root, pg_partition_tree(root.oid) t where t.isleaf),
                               (select array[root.oid] from root)) as oids),
     stats as (select sum(s.n_tup_ins) as ins, sum(s.n_tup_upd) as upd, sum(s.n_tup_del) as del, sum(s.n_tup_hot_upd) as hot,
                      sum(s.n_mod_since_analyze) as modified_since_analyze,
                      -- The earliest partition's, and only when every partition has been analyzed.
                      case when bool_and(coalesce(s.last_analyze, s.last_autoanalyze) is not null)
                           then min(greatest(s.last_analyze, s.last_autoanalyze)) end as analyzed_at
                 from parts, pg_stat_user_tables s where s.relid = any (parts.oids)),
     reset as (select coalesce((select d.stats_reset from pg_stat_database d where d.datname = current_database()), pg_postmaster_start_time()) as at)
select n.nspname::text as schema, c.relname::text as name, c.relkind::text as kind,
       (select coalesce(sum(greatest(l.reltuples, 0)), 0) from parts, pg_class l where l.oid = any (parts.oids))::float8 as rows,
       (select coalesce(bool_or(l.reltuples < 0), false) from parts, pg_class l where l.oid = any (parts.oids)) as never_analyzed,
       (select coalesce(sum(pg_table_size(l.oid)), 0) from parts, pg_class l where l.oid = any (parts.oids))::float8 as bytes,
       coalesce(stats.ins, 0)::float8 as inserted, coalesce(stats.upd, 0)::float8 as updated,
       coalesce(stats.del, 0)::float8 as deleted, coalesce(stats.hot, 0)::float8 as hot_updated,
       greatest(extract(epoch from now() - reset.at), 1)::float8 as stats_seconds,
       coalesce(stats.modified_since_analyze, 0)::float8 as modified_since_analyze,
       case when stats.analyzed_at is not null then greatest(extract(epoch from now() - stats.analyzed_at), 1) end::float8 as analyzed_seconds
  from root join pg_class c on c.oid = root.oid join pg_namespace n on n.oid = c.relnamespace, stats, reset`;
  function* tableFacts(schema, table) {
    const rows = yield { sql: TABLE_FACTS_SQL, params: [schema, table] };
    const facts = toTableFacts(rows[0]);
    if (rows[0].never_analyzed !== true) return facts;
    const plan = yield { sql: `explain (format json) select from ${quoteIdent(facts.schema)}.${quoteIdent(facts.table)}`, params: [] };
    const value = plan[0]?.["QUERY PLAN"];
    const parsed2 = typeof value === "string" ? JSON.parse(value) : value;
    const estimate = Number(rootPlan(parsed2)?.[EXPLAIN.planRows] ?? NaN);
    return { ...facts, rows: Number.isFinite(estimate) ? Math.max(facts.rows, estimate) : facts.rows, statisticsMissing: true };
  }
  function toTableFacts(row) {
    const sinceAnalyze = row.analyzed_seconds === null || row.analyzed_seconds === void 0 ? null : Number(row.analyzed_seconds);
    const seconds = sinceAnalyze ?? Number(row.stats_seconds);
    const cumulative = Number(row.inserted) + Number(row.updated) + Number(row.deleted);
    const scale = sinceAnalyze === null ? 1 : cumulative > 0 ? Number(row.modified_since_analyze ?? 0) / cumulative : 0;
    const perSecond = (value) => Number(value) * scale / seconds;
    return {
      schema: String(row.schema),
      table: String(row.name),
      kind: String(row.kind),
      rows: Number(row.rows),
      bytes: Number(row.bytes),
      insertsPerSecond: perSecond(row.inserted),
      updatesPerSecond: perSecond(row.updated),
      deletesPerSecond: perSecond(row.deleted),
      hotUpdatesPerSecond: perSecond(row.hot_updated),
      statsSeconds: seconds
    };
  }

  // plv8/advisor/recommendation/risk.ts
  var GIB = 1024 ** 3;
  function writeOverhead(table) {
    const indexWritesPerSecond = table.insertsPerSecond + Math.max(0, table.updatesPerSecond - table.hotUpdatesPerSecond);
    const hotUpdatesAtRiskPerSecond = table.hotUpdatesPerSecond;
    let summary = `about ${rate(indexWritesPerSecond)} index writes/s (inserts and non-HOT updates over the last ${duration(table.statsSeconds)})`;
    if (hotUpdatesAtRiskPerSecond > 0) summary += `; ${rate(hotUpdatesAtRiskPerSecond)} HOT updates/s stop being HOT if they change an indexed column`;
    return { indexWritesPerSecond, hotUpdatesAtRiskPerSecond, summary };
  }
  function assessRisk(table, overhead) {
    const partitioned = table.kind === "p";
    const writes = overhead.indexWritesPerSecond;
    const build = partitioned ? "a partitioned table cannot be indexed concurrently: writes wait for the build" : "concurrent build";
    const facts = `${build}, ${formatBytes(table.bytes)} table, ${rate(writes)} index writes/s`;
    if (partitioned && table.bytes > GIB || table.bytes > 10 * GIB || writes >= 1e3) return { level: "high", reason: `high: ${facts}` };
    if (partitioned || table.bytes > GIB || writes >= 100) return { level: "medium", reason: `medium: ${facts}` };
    return { level: "low", reason: `low: ${facts}` };
  }
  function formatBytes(bytes) {
    if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
    if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
    if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
    return `${bytes} B`;
  }
  function rate(perSecond) {
    return perSecond >= 10 ? String(Math.round(perSecond)) : String(Math.round(perSecond * 100) / 100);
  }
  function duration(seconds) {
    if (seconds >= 86400) return `${Math.round(seconds / 86400)} d`;
    if (seconds >= 3600) return `${Math.round(seconds / 3600)} h`;
    return `${Math.round(seconds / 60)} min`;
  }

  // plv8/advisor/recommendation/recommendation.ts
  function recommendationFor(candidate, table, cost) {
    const concurrently = table.kind !== "p";
    const improvementPct = Math.round(improvement(cost.before, cost.after) * 10) / 10;
    const overhead = writeOverhead(table);
    const uncertainty = candidate.uncertainty === void 0 ? {} : { uncertainty: { kind: candidate.uncertainty, note: UNCERTAINTY_NOTES[candidate.uncertainty] } };
    return {
      ...uncertainty,
      kind: "index",
      sql: indexDdl(candidate, { concurrently }),
      rollbackSql: rollbackDdl(candidate, { concurrently }),
      table: `${candidate.schema}.${candidate.table}`,
      costBefore: cost.before,
      costAfter: cost.after,
      improvementPct,
      sizeBytes: cost.sizeBytes,
      writeOverhead: overhead,
      risk: assessRisk(table, overhead),
      rationale: `${candidate.reason}; the table has about ${Math.round(table.rows)} rows (${formatBytes(table.bytes)}); estimated by hypopg: cost ${round(cost.before)} → ${round(cost.after)} (−${improvementPct}%), index about ${formatBytes(cost.sizeBytes)}` + (table.statisticsMissing ? `; ${STATISTICS_MISSING}` : "")
    };
  }
  var UNCERTAINTY_NOTES = {
    expression: "estimate unreliable: hypopg has no statistics for a new expression, so the planner guessed its selectivity; measure it with a real build in the sandbox",
    "access-method": "estimate unavailable: hypopg cannot cost this access method; measure it with a real build in the sandbox"
  };
  function improvement(before, after) {
    return before > 0 ? (before - after) / before * 100 : 0;
  }
  function round(cost) {
    return Math.round(cost * 100) / 100;
  }

  // plv8/plan/what-if.ts
  function* explainCost(query) {
    const plans2 = [];
    for (const { kind, statement, values } of planRequests(query)) plans2.push((yield* guardedPlan(query.planner, kind, statement, { values })).plan);
    return combinedCost(query, plans2);
  }
  function planRequests(query) {
    const sets = query.parameterSets ?? [];
    if (sets.length === 0) return [{ kind: query.hasParameters ? "generic" : "explain", statement: query.text, values: null }];
    return sets.map((set) => set.literal !== void 0 ? { kind: "explain", statement: set.literal, values: null } : { kind: "custom", statement: query.text, values: [...set.values ?? []] });
  }
  function combinedCost(query, plans2) {
    const sets = query.parameterSets ?? [];
    if (sets.length === 0) return { plan: plans2[0], plans: [...plans2], totalCost: totalCostOf(plans2[0]) };
    let totalCost = 0;
    let heaviest = 0;
    sets.forEach((set, i) => {
      totalCost += set.weight * totalCostOf(plans2[i]);
      if (set.weight > sets[heaviest].weight) heaviest = i;
    });
    return { plan: plans2[heaviest], plans: [...plans2], totalCost };
  }
  function* evaluateSet(query, ddls) {
    return yield* evaluateSetWithin(query, ddls, Infinity);
  }
  function* evaluateSetWithin(query, ddls, maxBytes) {
    let rows;
    try {
      rows = yield {
        sql: "select pg_temp.optischema_hypo_plans($1::text[], $2::float8, $3, $4, $5::jsonb) as result",
        params: [[...ddls], Number.isFinite(maxBytes) ? maxBytes : null, query.planner.role, query.planner.searchPath, JSON.stringify(planRequests(query))]
      };
    } catch (error) {
      throw explainedRefusal(query.planner, error);
    }
    const value = rows[0]?.result;
    const result = typeof value === "string" ? JSON.parse(value) : value;
    if (result.results === null) return null;
    const { plan, plans: plans2, totalCost } = combinedCost(query, result.results.map((r) => guardResult(r).plan));
    const used = plans2.flatMap(indexNames);
    return result.indexes.map((index) => ({ hypotheticalName: index.name, used: used.includes(index.name), totalCost, sizeBytes: Number(index.bytes), plan }));
  }
  function* createHypothetical(ddl) {
    const rows = yield { sql: "select indexrelid::int8::float8 as indexrelid, indexname from pg_temp.optischema_hypo_create($1)", params: [ddl] };
    return { indexrelid: Number(rows[0]?.indexrelid), name: String(rows[0]?.indexname ?? "") };
  }
  function* dropHypothetical(index) {
    yield { sql: "select pg_temp.optischema_hypo_drop($1::oid) as dropped", params: [index.indexrelid] };
  }
  function* resetHypothetical() {
    yield { sql: "select pg_temp.optischema_hypo_reset() is null as reset", params: [] };
  }
  function* leaveNothing() {
    try {
      yield* resetHypothetical();
      yield* closeGuard();
    } catch {
    }
  }
  function indexNames(plan) {
    const names = [];
    const visit = (node) => {
      if (Array.isArray(node)) {
        for (const child of node) visit(child);
        return;
      }
      if (typeof node !== "object" || node === null) return;
      const record = node;
      if (typeof record["Index Name"] === "string") names.push(record["Index Name"]);
      visit(record.Plan);
      visit(record.Plans);
    };
    visit(plan);
    return names;
  }
  function totalCostOf(plan) {
    const root = Array.isArray(plan) ? plan[0]?.Plan : void 0;
    const cost = Number(root?.["Total Cost"]);
    if (!Number.isFinite(cost)) throw new Error("EXPLAIN returned a plan without a total cost");
    return cost;
  }

  // plv8/advisor/parameters/parameter-typing.ts
  var ARITHMETIC_TYPINGS = [
    { name: "as written" },
    { name: "integer", left: "int8", right: "int8" },
    { name: "numeric", left: "numeric", right: "numeric" },
    { name: "date and interval", left: "date", right: "interval" },
    { name: "timestamp and interval", left: "timestamptz", right: "interval" }
  ];
  function typedVariants(text) {
    const base = extractAsFunction(typedParametersAsCasts(text));
    const out = [];
    for (const typing of ARITHMETIC_TYPINGS) {
      const variant = typing.left === void 0 ? base : castUntyped(base, typing);
      if (!out.some((o) => o.text === variant)) out.push({ text: variant, typing: typing.name });
    }
    return out;
  }
  var ARITHMETIC = /* @__PURE__ */ new Set(["+", "-", "*", "/", "%"]);
  function significant(tokens) {
    return tokens.flatMap((t, i) => t.kind === "space" || t.kind === "comment" ? [] : [i]);
  }
  function castUntyped(source, typing) {
    const tokens = textTokens(source);
    const order = significant(tokens);
    const text = (i) => i === void 0 ? "" : source.slice(tokens[i].start, tokens[i].end);
    const lower = (i) => text(i).toLowerCase();
    let out = "";
    let copied = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      if (tokens[i].kind !== "parameter") continue;
      const before = order[k - 1];
      const after = order[k + 1];
      if (text(after) === ":" && text(order[k + 2]) === ":") continue;
      const rightOfOperator = before !== void 0 && tokens[before].kind === "other" && ARITHMETIC.has(text(before)) && !isUnaryAt(order, tokens, source, k - 1);
      const leftOfOperator = after !== void 0 && tokens[after].kind === "other" && ARITHMETIC.has(text(after));
      const caseResult = ["then", "else"].includes(lower(before));
      let type;
      if (rightOfOperator) type = typing.right;
      else if (leftOfOperator || caseResult) type = typing.left;
      if (type === void 0) continue;
      out += `${source.slice(copied, tokens[i].end)}::${type}`;
      copied = tokens[i].end;
    }
    return out + source.slice(copied);
  }
  function isUnaryAt(order, tokens, source, k) {
    const before = order[k - 1];
    if (before === void 0) return true;
    const token = tokens[before];
    if (token.kind === "parameter" || token.kind === "number" || token.kind === "string" || token.kind === "quoted-identifier") return false;
    if (token.kind === "word") return /^(and|or|not|then|else|when|between|select|where|in|like|is|case|return|on|having)$/i.test(source.slice(token.start, token.end));
    return source.slice(token.start, token.end) !== ")" && source.slice(token.start, token.end) !== "]";
  }
  function extractAsFunction(source) {
    const tokens = textTokens(source);
    const order = significant(tokens);
    const text = (k) => order[k] === void 0 ? "" : source.slice(tokens[order[k]].start, tokens[order[k]].end);
    let out = "";
    let copied = 0;
    for (let k = 0; k + 3 < order.length; k++) {
      if (text(k).toLowerCase() !== "extract" || text(k - 1) === "." || text(k + 1) !== "(" || tokens[order[k + 2]].kind !== "parameter" || text(k + 3).toLowerCase() !== "from") continue;
      const word = tokens[order[k]];
      const parameter = tokens[order[k + 2]];
      const from = tokens[order[k + 3]];
      out += `${source.slice(copied, word.start)}pg_catalog.extract(${source.slice(parameter.start, parameter.end)}::text,`;
      copied = from.end;
      k += 3;
    }
    return out + source.slice(copied);
  }

  // plv8/advisor/parameters/parameter-slots.ts
  var PARAMETER = /\$(\d+)/g;
  function parameterSlots(plan, text, count) {
    const slots = /* @__PURE__ */ new Map();
    const set = (slot) => {
      if (slot.n < 1 || slot.n > count) return;
      const seen = slots.get(slot.n);
      if (seen === void 0 || seen.kind === "unbound" && slot.kind !== "unbound") slots.set(slot.n, slot);
    };
    for (const scan2 of planScans(plan).scans) {
      for (const condition of [scan2.indexCond, scan2.recheckCond, scan2.filter]) {
        if (condition === void 0) continue;
        const bound = /* @__PURE__ */ new Set();
        const analysis = analyzeCondition(condition);
        for (const atom of [...analysis.atoms, ...analysis.ors.flatMap((group) => group.arms.flat())]) {
          if (atom.constant === void 0 || atom.alias !== null && atom.alias !== scan2.alias) continue;
          const numbers = [...atom.constant.matchAll(PARAMETER)].map((m) => Number(m[1]));
          if (numbers.length === 0) continue;
          const kind = atom.column === null ? "unbound" : slotKind(atom.operator);
          const column = atom.column === null ? void 0 : { schema: scan2.schema, table: scan2.relation, column: atom.column };
          numbers.forEach((n, i) => {
            bound.add(n);
            if (kind === "unbound" || column === void 0) return set({ n, kind: "unbound" });
            set(i === 0 ? { n, kind, column } : { n, kind, column, neutral: neutralBefore(atom.constant, n) });
          });
        }
        for (const m of condition.matchAll(/\(?([A-Za-z_][\w$]*|"(?:[^"]|"")+")\.([A-Za-z_][\w$]*|"(?:[^"]|"")+")\)?(?:::[\w ]+)? = ANY \(ARRAY\[([^\]]*)\]/g)) {
          if (unquoteIdent(m[1]) !== scan2.alias) continue;
          const column = { schema: scan2.schema, table: scan2.relation, column: unquoteIdent(m[2]) };
          for (const p of m[3].matchAll(PARAMETER)) {
            bound.add(Number(p[1]));
            set({ n: Number(p[1]), kind: "equality", column });
          }
        }
        for (const m of condition.matchAll(PARAMETER)) if (!bound.has(Number(m[1]))) set({ n: Number(m[1]), kind: "unbound" });
      }
    }
    for (const { n, kind } of pagingParameters(text)) set({ n, kind });
    for (const condition of otherConditions(plan)) {
      for (const m of condition.matchAll(PARAMETER)) if (!slots.has(Number(m[1]))) set({ n: Number(m[1]), kind: "unbound" });
    }
    const out = [];
    for (let n = 1; n <= count; n++) out.push(slots.get(n) ?? { n, kind: "neutral" });
    return out;
  }
  var CONDITION_KEYS = [EXPLAIN.filter, EXPLAIN.joinFilter, EXPLAIN.hashCond, EXPLAIN.mergeCond, EXPLAIN.indexCond, EXPLAIN.recheckCond, EXPLAIN.oneTimeFilter];
  function otherConditions(plan) {
    const out = [];
    const visit = (node) => {
      if (node === null || typeof node !== "object") return;
      const record = node;
      for (const key of CONDITION_KEYS) if (typeof record[key] === "string") out.push(record[key]);
      const children2 = record[EXPLAIN.plans];
      if (Array.isArray(children2)) children2.forEach(visit);
    };
    visit(rootPlan(plan));
    return out;
  }
  function slotKind(operator) {
    if (operator === ">" || operator === ">=") return "lower";
    if (operator === "<" || operator === "<=") return "upper";
    return operator === "=" ? "equality" : "unbound";
  }
  function neutralBefore(constant, n) {
    const at = constant.indexOf(`$${n}`);
    const before = constant.slice(0, at).replace(/[\s(]+$/, "");
    return before.endsWith("*") || before.endsWith("/") ? "1" : "0";
  }
  function pagingParameters(text) {
    const tokens = textTokens(text).filter((t) => t.kind !== "space" && t.kind !== "comment");
    const word = (i) => tokens[i]?.kind === "word" ? text.slice(tokens[i].start, tokens[i].end).toLowerCase() : "";
    const out = [];
    tokens.forEach((t, i) => {
      if (t.kind !== "parameter") return;
      const n = Number(text.slice(t.start + 1, t.end));
      if (word(i - 1) === "limit" || (word(i - 1) === "first" || word(i - 1) === "next") && word(i - 2) === "fetch") out.push({ n, kind: "limit" });
      else if (word(i - 1) === "offset") out.push({ n, kind: "offset" });
    });
    return out;
  }

  // plv8/advisor/parameters/column-statistics.ts
  var STATISTICS_SQL = `
select distinct on (attname) attname, null_frac::float8 as null_frac,
       to_json(most_common_vals::text::text[]) as mcv, to_json(most_common_freqs) as mcf,
       to_json(histogram_bounds::text::text[]) as histogram
  from pg_catalog.pg_stats
 where schemaname = $1 and tablename = $2 and attname = any($3::text[])
 order by attname, inherited desc`;
  function* columnStatistics(schema, table, columns) {
    const rows = yield { sql: STATISTICS_SQL, params: [schema, table, [...columns]] };
    const out = /* @__PURE__ */ new Map();
    for (const row of rows) {
      out.set(String(row.attname), {
        nullFrac: Number(row.null_frac ?? 0),
        mostCommon: strings(row.mcv),
        frequencies: (parsed(row.mcf) ?? []).map(Number),
        histogram: strings(row.histogram)
      });
    }
    return out;
  }
  function parsed(value) {
    const v = typeof value === "string" ? JSON.parse(value) : value;
    return Array.isArray(v) ? v : null;
  }
  function strings(value) {
    return (parsed(value) ?? []).map(String);
  }

  // plv8/advisor/parameters/parameter-sets.ts
  var LIMIT_VALUE = "10";
  var MIN_SET_SHARE = 0.01;
  var OFFSET_VALUE = "0";
  function* parameterSets(slots, samples = [], sampledValues = []) {
    const complete = sampledValues.filter((values) => values.length === slots.length);
    if (complete.length > 0) {
      const weight = 1 / complete.length;
      return { sets: complete.map((values, i) => ({ values: [...values], weight, source: "pg_qualstats", label: `sampled ${i + 1}` })) };
    }
    if (samples.length > 0) {
      const weight = 1 / samples.length;
      return { sets: samples.map((literal, i) => ({ literal, weight, source: "activity", label: `sample ${i + 1}` })) };
    }
    const unbound = slots.filter((s) => s.kind === "unbound");
    if (unbound.length > 0) return { sets: [], why: `${unbound.map((s) => `$${s.n}`).join(", ")} compared with an expression no statistics describe` };
    const stats = yield* statisticsOf(slots);
    const missing = slots.filter((s) => s.column !== void 0 && stats.get(columnKey(s.column)) === void 0);
    if (missing.length > 0) return { sets: [], why: `no statistics for ${[...new Set(missing.map((s) => s.column.column))].join(", ")} (never analyzed)` };
    return { sets: statisticsSets(slots, stats) };
  }
  function* statisticsOf(slots) {
    const byTable = /* @__PURE__ */ new Map();
    for (const s of slots) {
      if (s.column === void 0) continue;
      const key = `${s.column.schema}\0${s.column.table}`;
      const entry = byTable.get(key) ?? { schema: s.column.schema, table: s.column.table, columns: /* @__PURE__ */ new Set() };
      entry.columns.add(s.column.column);
      byTable.set(key, entry);
    }
    const out = /* @__PURE__ */ new Map();
    for (const { schema, table, columns } of byTable.values()) {
      const read = yield* columnStatistics(schema, table, [...columns]);
      for (const [column, statistics] of read) out.set(columnKey({ schema, table, column }), statistics);
    }
    return out;
  }
  function columnKey(c) {
    return `${c.schema}\0${c.table}\0${c.column}`;
  }
  function statisticsSets(slots, stats) {
    const twoSided = /* @__PURE__ */ new Set();
    for (const s of slots) {
      if (s.kind !== "lower" || s.column === void 0) continue;
      if (slots.some((o) => o.kind === "upper" && o.column !== void 0 && columnKey(o.column) === columnKey(s.column))) twoSided.add(columnKey(s.column));
    }
    const valueFor = (s, role) => {
      if (s.neutral !== void 0) return s.neutral;
      if (s.kind === "limit") return LIMIT_VALUE;
      if (s.kind === "offset") return OFFSET_VALUE;
      if (s.column === void 0) return null;
      const st = stats.get(columnKey(s.column));
      const h = st.histogram;
      const at = (share) => h.length === 0 ? void 0 : h[Math.min(h.length - 1, Math.max(0, Math.round(share * (h.length - 1))))];
      const mid = Math.floor((h.length - 1) / 2);
      const typical2 = h[mid] ?? st.mostCommon[st.mostCommon.length - 1];
      if (s.kind === "equality") return (role === "common" ? st.mostCommon[0] ?? typical2 : typical2) ?? null;
      const both = twoSided.has(columnKey(s.column));
      if (h.length === 0) return st.mostCommon[0] ?? null;
      if (both) return s.kind === "lower" || role === "narrow" ? h[mid] : h[Math.min(h.length - 1, mid + 1)];
      return (s.kind === "lower" ? at(0.9) : at(0.1)) ?? null;
    };
    const commonShare = (() => {
      for (const s of slots) {
        if (s.kind !== "equality" || s.column === void 0) continue;
        const st = stats.get(columnKey(s.column));
        if (st.mostCommon.length > 0) return Math.min(1, st.frequencies.reduce((a, b) => a + b, 0));
      }
      return 0;
    })();
    const build = (role) => slots.map((s) => valueFor(s, role));
    const typical = build("typical");
    const same = (a) => a.every((v, i) => v === typical[i]);
    const common = build("common");
    const narrow = build("narrow");
    const sets = [];
    const rest = commonShare > 0 && !same(common) ? 1 - commonShare : 1;
    const hasNarrow = twoSided.size > 0 && !same(narrow);
    sets.push({ role: "typical", values: typical, share: hasNarrow ? rest / 2 : rest });
    if (hasNarrow) sets.push({ role: "narrow", values: narrow, share: rest / 2 });
    if (rest < 1) sets.push({ role: "common", values: common, share: 1 - rest });
    const kept = sets.filter((s) => s.share >= MIN_SET_SHARE);
    const total = kept.reduce((sum2, s) => sum2 + s.share, 0);
    return kept.map((s) => ({ values: s.values, weight: s.share / total, source: "statistics", label: s.role }));
  }

  // plv8/advisor/parameters/plan-normalized.ts
  function* planNormalized(text, planner, samples = [], sampledValues = []) {
    const prepared = [];
    let firstError;
    for (const variant of typedVariants(text)) {
      try {
        const generic = yield* guardedPlan(planner, "generic", variant.text);
        prepared.push({ ...variant, plan: generic.plan, types: generic.parameterTypes ?? [] });
      } catch (error) {
        firstError ?? (firstError = error);
      }
    }
    if (prepared.length === 0) {
      const message = typeof firstError?.message === "string" ? firstError.message : String(firstError);
      throw Object.assign(new Error(`the statement's parameters could not be typed for planning (tried ${typedVariants(text).map((v) => v.typing).join(", ")}): ${message}`, { cause: firstError }), {
        code: firstError?.code
      });
    }
    const literals = samples.flatMap((sample) => {
      try {
        const read = readStatement(sample);
        return read.hasParameters ? [] : [read.text];
      } catch {
        return [];
      }
    });
    const first = prepared[0];
    const slots = parameterSlots(first.plan, first.text, first.types.length);
    const drawn = yield* parameterSets(slots, literals, sampledValues);
    if (drawn.sets.length === 0) return { text: first.text, typing: first.typing, genericPlan: first.plan, parameterTypes: first.types, sets: [], fallback: drawn.why };
    for (const variant of prepared) {
      const fitting = [];
      for (const set of drawn.sets) if (yield* plans(planner, variant.text, set)) fitting.push(set);
      if (fitting.length === drawn.sets.length || variant === prepared[prepared.length - 1] && fitting.length > 0) {
        const total = fitting.reduce((a, s) => a + s.weight, 0);
        return { text: variant.text, typing: variant.typing, genericPlan: variant.plan, parameterTypes: variant.types, sets: fitting.map((s) => ({ ...s, weight: s.weight / total })) };
      }
    }
    return { text: first.text, typing: first.typing, genericPlan: first.plan, parameterTypes: first.types, sets: [], fallback: "no drawn values fit the parameters’ types" };
  }
  function* plans(planner, text, set) {
    try {
      if (set.literal !== void 0) yield* guardedPlan(planner, "explain", set.literal);
      else yield* guardedPlan(planner, "custom", text, { values: set.values ?? [] });
      return true;
    } catch {
      return false;
    }
  }

  // plv8/advisor/query/evaluate-query.ts
  function newEvaluationContext() {
    return { tables: /* @__PURE__ */ new Map(), existing: /* @__PURE__ */ new Map(), partialFits: /* @__PURE__ */ new Map(), distinct: /* @__PURE__ */ new Map() };
  }
  function* evaluateQuery(text, planner, options = {}, context = newEvaluationContext(), samples = [], sampledValues = []) {
    const evaluation = { query: null, costBefore: 0, plan: null, plans: [], evaluated: [], sets: [], unjudged: [], errors: [] };
    try {
      const read = readStatement(text);
      let statement = { text: read.text, hasParameters: read.hasParameters, planner };
      let genericPlan = null;
      if (read.hasParameters) {
        const normalized = yield* planNormalized(read.text, planner, samples, sampledValues);
        statement = { ...statement, text: normalized.text, parameterSets: normalized.sets };
        genericPlan = normalized.genericPlan;
        evaluation.parameters = parameterEvidence(normalized.sets, normalized.typing, normalized.fallback);
      }
      evaluation.query = statement;
      const before = yield* explainCost(statement);
      evaluation.costBefore = before.totalCost;
      evaluation.plan = before.plan;
      evaluation.plans = before.plans;
      const costed = /* @__PURE__ */ new Set();
      const predicates = constantPredicates(statement, genericPlan, before.plans);
      const prepare = function* (found) {
        const table = yield* cached(context.tables, `${found.schema}.${found.table}`, () => tableFacts(found.schema, found.table));
        if (table.rows < (options.minTableRows ?? 1e3)) return null;
        if (found.uncertainty !== void 0 && table.bytes < UNJUDGED_MIN_BYTES) return null;
        const distinct2 = yield* cached(context.distinct, `${table.schema}.${table.table}`, () => columnDistinct(table));
        const candidate = mostSelectiveFirst({ ...found, schema: table.schema, table: table.table }, distinct2);
        const existing = yield* cached(context.existing, `${table.schema}.${table.table}`, () => existingIndexes(table.schema, table.table));
        if (duplicatesExisting(candidate, existing)) return null;
        if (candidate.include !== void 0 && !coveringFits(candidate, table, existing)) return null;
        if (candidate.predicate !== void 0) {
          const test = { predicate: candidate.predicate, column: candidate.predicateColumn ?? "", kind: candidate.predicateKind ?? "value", known: predicates !== null };
          const fits = yield* cached(context.partialFits, `${table.schema}.${table.table}\0${test.predicate}\0${test.known}`, () => partialPredicateFits(table, test, planner));
          if (!fits) return null;
        }
        return { candidate, table, ddl: indexDdl(candidate, { concurrently: false }) };
      };
      const unjudged = function* (prepared, why) {
        if (!(yield* methodAvailable(prepared.candidate))) return;
        const share = scanShare(before.plans, prepared.table, context.tables, evaluation.costBefore);
        evaluation.unjudged.push({ ...prepared, scanShare: share, why });
      };
      for (const found of mergeProposals(before.plans.map((plan) => candidatesFromPlan(plan)))) {
        if (found.predicate !== void 0 && predicates !== null && !predicates.has(found.predicate)) continue;
        const prepared = yield* prepare(found);
        if (prepared === null || costed.has(prepared.ddl)) continue;
        costed.add(prepared.ddl);
        const { candidate, table, ddl } = prepared;
        if (candidate.method === "gin" || candidate.method === "gist") {
          yield* unjudged(prepared, `hypopg cannot cost ${candidate.method.toUpperCase()} indexes`);
          continue;
        }
        let cost;
        try {
          const maxBytes = Math.min(options.maxIndexBytes ?? Infinity, candidate.include !== void 0 ? table.bytes - 1 : Infinity);
          [cost] = (yield* evaluateSetWithin(statement, [ddl], maxBytes)) ?? [];
        } catch (error) {
          evaluation.errors.push(`hypothetical index ${ddl}: ${errorMessage(error)}`);
          continue;
        }
        if (cost === void 0) continue;
        if (!cost.used && candidate.uncertainty === "expression") {
          yield* unjudged(prepared, "the planner passed over the hypothetical index: it has no statistics for a new expression, so its estimate cannot judge it");
          continue;
        }
        evaluation.evaluated.push({ candidate, table, ddl, costAfter: cost.totalCost, sizeBytes: cost.sizeBytes, used: cost.used });
      }
      const setsSeen = /* @__PURE__ */ new Set();
      for (const set of mergeSets(before.plans.map((plan) => indexSetsFromPlan(plan)))) {
        const members = [];
        let complete = true;
        for (const found of set) {
          const prepared = yield* prepare(found);
          const existing = context.existing.get(`${found.schema}.${found.table}`) ?? [];
          if (prepared === null && servedByExisting(found, existing)) continue;
          if (prepared === null) complete = false;
          else members.push(prepared);
        }
        const id = members.map((m) => m.ddl).join("\0");
        if (!complete || members.length < 2 || setsSeen.has(id)) continue;
        setsSeen.add(id);
        try {
          const costs = yield* evaluateSetWithin(statement, members.map((m) => m.ddl), options.maxIndexBytes ?? Infinity);
          if (costs === null) continue;
          evaluation.sets.push({
            members: members.map((m, n) => ({ ...m, costAfter: costs[n].totalCost, sizeBytes: costs[n].sizeBytes, used: costs[n].used })),
            costAfter: costs[0].totalCost,
            used: costs.every((c) => c.used)
          });
        } catch (error) {
          evaluation.errors.push(`hypothetical indexes ${members.map((m) => m.ddl).join("; ")}: ${errorMessage(error)}`);
        }
      }
    } catch (error) {
      evaluation.errors.push(errorMessage(error));
    }
    return evaluation;
  }
  function mergeProposals(lists) {
    return uniqueBy(lists.flat(), candidateId);
  }
  function mergeSets(lists) {
    return uniqueBy(lists.flat(), (set) => set.map(candidateId).join(""));
  }
  function uniqueBy(items, id) {
    const seen = /* @__PURE__ */ new Set();
    return items.filter((item) => {
      const key = id(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  function constantPredicates(statement, genericPlan, plans2) {
    if (!statement.hasParameters) return null;
    const of = (plan) => new Set(candidatesFromPlan(plan).flatMap((c) => c.predicate === void 0 ? [] : [c.predicate]));
    const out = of(genericPlan);
    const sets = statement.parameterSets ?? [];
    const sampled = plans2.filter((_, i) => sets[i]?.literal !== void 0);
    if (sampled.length >= 2) {
      const [first, ...rest] = sampled.map(of);
      for (const predicate of first) if (rest.every((r) => r.has(predicate))) out.add(predicate);
    }
    return out;
  }
  function parameterNote(evidence) {
    const typed = evidence.typing === "as written" ? "" : `; untyped parameters read as ${evidence.typing}`;
    if (evidence.source === "generic") return `parameters planned by the generic plan (${evidence.why ?? "no representative values"}): estimates for real values may differ${typed}`;
    const shares = evidence.sets.map((s) => `${s.label} ${Math.round(s.weight * 100)} %`).join(", ");
    const from = { pg_qualstats: "values pg_qualstats sampled", activity: "literal texts the collector saw", statistics: "values drawn from pg_stats" }[evidence.source];
    return `parameters planned with ${from} (${shares})${typed}`;
  }
  function parameterEvidence(sets, typing, why) {
    if (sets.length === 0) return { source: "generic", typing, sets: [], ...why === void 0 ? {} : { why } };
    return {
      source: sets[0].source,
      typing,
      sets: sets.map((s) => ({ label: s.label, weight: s.weight, ...s.values ? { values: s.values } : {}, ...s.literal ? { literal: s.literal } : {} }))
    };
  }
  var MAX_COVERING_SHARE = 0.1;
  var MIN_COVERING_ROWS = 50;
  function coveringFits(candidate, table, existing) {
    if (servedByExisting({ ...candidate, include: void 0 }, existing)) return false;
    const rows = candidate.scanRows ?? 0;
    return table.rows > 0 && rows >= MIN_COVERING_ROWS && rows / table.rows <= MAX_COVERING_SHARE;
  }
  function earnsItsInclude(e, used, thresholdPct) {
    if (e.candidate.include === void 0) return true;
    const plain = used.find(
      (p) => p.candidate.include === void 0 && p.table.schema === e.table.schema && p.table.table === e.table.table && (p.candidate.predicate ?? null) === (e.candidate.predicate ?? null) && JSON.stringify(p.candidate.keys) === JSON.stringify(e.candidate.keys)
    );
    return plain === void 0 || improvement(plain.costAfter, e.costAfter) >= thresholdPct;
  }
  function* withAnalysisSettings(statementTimeoutMs, inner) {
    const saved = yield {
      sql: `select current_setting('statement_timeout') as statement_timeout, current_setting('search_path') as search_path`,
      params: []
    };
    yield {
      sql: `select set_config('statement_timeout', $1, true) as timeout, set_config('search_path', 'pg_catalog, pg_temp', true) as path`,
      params: [`${Math.round(statementTimeoutMs)}ms`]
    };
    try {
      return yield* inner;
    } finally {
      yield {
        sql: `select pg_catalog.set_config('statement_timeout', $1, true) as timeout, pg_catalog.set_config('search_path', $2, true) as path`,
        params: [String(saved[0]?.statement_timeout ?? "0"), String(saved[0]?.search_path ?? '"$user", public')]
      };
    }
  }
  function* cached(cache, key, load) {
    if (cache.has(key)) return cache.get(key);
    const value = yield* load();
    cache.set(key, value);
    return value;
  }
  function errorMessage(error) {
    const message = typeof error === "object" && error !== null ? error.message : void 0;
    return typeof message === "string" ? message : String(error);
  }

  // plv8/advisor/query/index-chain.ts
  var MAX_CHAIN = 4;
  var MAX_CHAIN_TRIED = 8;
  function bestFirst(candidates) {
    return [...candidates].sort((a, b) => a.costAfter - b.costAfter || a.sizeBytes - b.sizeBytes || a.ddl.localeCompare(b.ddl));
  }
  function* indexChain(query, useful, thresholdPct) {
    const tried = bestFirst(useful).slice(0, MAX_CHAIN_TRIED);
    const first = tried[0];
    if (!first) return [];
    const chain = [first];
    let cost = first.costAfter;
    const groups = [];
    while (chain.length < MAX_CHAIN) {
      let best = null;
      for (const e of tried) {
        if (chain.includes(e)) continue;
        const costs = yield* evaluateSet(query, [...chain.map((c) => c.ddl), e.ddl]);
        const after = costs[0].totalCost;
        if (costs[costs.length - 1].used && improvement(cost, after) >= thresholdPct && (best === null || after < best.cost)) best = { e, cost: after };
      }
      if (best === null) break;
      chain.push(best.e);
      cost = best.cost;
      groups.push({ members: [...chain], cost });
    }
    return groups;
  }

  // plv8/advisor/workload/pool.ts
  function dropPartialsPerValue(pool) {
    const predicates = /* @__PURE__ */ new Map();
    for (const p of pool.values()) {
      if (p.candidate.predicate === void 0) continue;
      const key = `${tableKey(p.table)}\0${p.candidate.predicateColumn ?? ""}`;
      if (!predicates.has(key)) predicates.set(key, /* @__PURE__ */ new Set());
      predicates.get(key).add(p.candidate.predicate);
    }
    for (const [ddl, p] of pool) {
      if (p.candidate.predicate === void 0) continue;
      if ((predicates.get(`${tableKey(p.table)}\0${p.candidate.predicateColumn ?? ""}`)?.size ?? 0) > 1) pool.delete(ddl);
    }
  }
  function referencedKeys(plan, context) {
    const keys = /* @__PURE__ */ new Set();
    for (const c of candidatesFromPlan(plan)) {
      const table = context.tables.get(`${c.schema}.${c.table}`);
      const root = table ? tableKey(table) : `${c.schema}.${c.table}`;
      for (const key of c.keys) keys.add(`${root}\0${keyText(key)}`);
    }
    return keys;
  }
  function tableUses(plan, keys, context) {
    const uses = /* @__PURE__ */ new Map();
    const entry = (table) => {
      const found = uses.get(table) ?? { keys: /* @__PURE__ */ new Set(), reads: /* @__PURE__ */ new Set() };
      uses.set(table, found);
      return found;
    };
    for (const key of keys) {
      const [table, column] = key.split("\0");
      if (!column.startsWith("(")) entry(table).keys.add(column);
    }
    const byAlias = /* @__PURE__ */ new Map();
    for (const scan2 of planScans(plan).scans) {
      const facts = context.tables.get(`${scan2.schema}.${scan2.relation}`);
      byAlias.set(scan2.alias, facts ? tableKey(facts) : `${scan2.schema}.${scan2.relation}`);
    }
    const read = (text) => {
      for (const m of text.matchAll(QUALIFIED)) {
        const table = byAlias.get(unquoteIdent(m[1]));
        if (table !== void 0) entry(table).reads.add(unquoteIdent(m[2]));
      }
    };
    const visit = (node) => {
      if (node === null || typeof node !== "object") return;
      const record = node;
      for (const [key, value] of Object.entries(record)) {
        if (key === EXPLAIN.plans || key === EXPLAIN.output && record[EXPLAIN.relationName] !== void 0) continue;
        if (typeof value === "string") read(value);
        else if (Array.isArray(value)) {
          for (const item of value) if (typeof item === "string") read(item);
        }
      }
      const children2 = record[EXPLAIN.plans];
      if (Array.isArray(children2)) children2.forEach(visit);
    };
    visit(rootPlan(plan));
    return uses;
  }
  function scannedTables(plans2, context) {
    const tables = /* @__PURE__ */ new Set();
    let partitionsUnknown = false;
    for (const plan of plans2) {
      for (const scan2 of planScans(plan).scans) {
        const facts = context.tables.get(`${scan2.schema}.${scan2.relation}`);
        if (facts === void 0) partitionsUnknown = true;
        tables.add(facts ? tableKey(facts) : `${scan2.schema}.${scan2.relation}`);
      }
    }
    return { tables, partitionsUnknown };
  }
  var QUALIFIED = /("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\.("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/g;
  function tableKey(table) {
    return `${table.schema}.${table.table}`;
  }
  function keyText(key) {
    return key.column ?? `(${key.expression ?? ""})`;
  }
  function selectionKey(key) {
    return `${keyText(key)}${key.opclass ? ` ${key.opclass}` : ""}${key.descending ? " DESC" : ""}`;
  }

  // plv8/advisor/workload/extensions.ts
  var MAX_COVERING_INCLUDE = 3;
  function coveringCandidate(base, use) {
    if ((base.method ?? "btree") !== "btree" || base.predicate !== void 0 || base.include !== void 0 || base.uncertainty !== void 0) return null;
    const inKeys = new Set(base.keys.flatMap((k) => k.column === void 0 ? [] : [k.column]));
    const include = [...use.reads].filter((c) => !inKeys.has(c)).sort();
    if (include.length === 0 || include.length > MAX_COVERING_INCLUDE) return null;
    const candidate = {
      schema: base.schema,
      table: base.table,
      keys: base.keys,
      include,
      reason: `${base.reason}; INCLUDE ${include.map(quoteIdent).join(", ")}, the columns the statement reads from the table, so its scans can be index-only`
    };
    return { candidate, ddl: indexDdl(candidate, { concurrently: false }) };
  }

  // plv8/engine/guard/planners.ts
  var ANALYSIS_ROLE = "optischema_analysis";
  var CURRENT_USER = "current_user";
  var PLANNER_FACTS_SQL = `
with wanted as (
  select r.oid from pg_catalog.pg_roles r where r.oid::text = any ($1::text[])
  union
  select r.oid from pg_catalog.pg_roles r where r.rolname = current_user or r.rolname = $2
), db as (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
select r.oid::text as oid, r.rolname::text as name, r.rolsuper as superuser, r.rolname = current_user as is_current,
       r.rolname = current_user or case when current_setting('server_version_num')::int >= 160000
                                        then pg_catalog.pg_has_role(current_user, r.oid, 'SET')
                                        else pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER') end as can_become,
       pg_catalog.has_database_privilege(r.oid, current_database(), 'TEMP') as temp,
       r.rolsuper or coalesce((select pg_catalog.pg_has_role(r.oid, a.oid, 'USAGE') from pg_catalog.pg_roles a where a.rolname = $2), false) as holds_analysis,
       $3::text is null or coalesce((select pg_catalog.pg_has_role(q.oid, r.oid, 'MEMBER') from pg_catalog.pg_roles q where q.oid::text = $3::text), false) as requester_may,
       coalesce(
         (select substr(c, 13) from pg_catalog.pg_db_role_setting s, db, unnest(s.setconfig) c
           where s.setrole = r.oid and s.setdatabase = db.oid and c like 'search\\_path=%'),
         (select substr(c, 13) from pg_catalog.pg_db_role_setting s, unnest(s.setconfig) c
           where s.setrole = r.oid and s.setdatabase = 0 and c like 'search\\_path=%'),
         (select substr(c, 13) from pg_catalog.pg_db_role_setting s, db, unnest(s.setconfig) c
           where s.setrole = 0 and s.setdatabase = db.oid and c like 'search\\_path=%'),
         (select boot_val from pg_catalog.pg_settings where name = 'search_path')) as search_path,
       current_database() as database
  from wanted w join pg_catalog.pg_roles r on r.oid = w.oid`;
  function* plannerFacts(authors, requester = null) {
    const oids = [...new Set(authors.filter((a) => a !== CURRENT_USER))];
    const rows = yield { sql: PLANNER_FACTS_SQL, params: [oids, ANALYSIS_ROLE, requester] };
    const facts = rows.map(toRoleFacts);
    const current = rows.find((row) => row.is_current === true);
    const byOid = new Map(facts.map((f) => [f.oid, f]));
    const map = /* @__PURE__ */ new Map();
    for (const author of authors) {
      const found = author === CURRENT_USER ? current ? byOid.get(String(current.oid)) : void 0 : byOid.get(author);
      if (found) map.set(author, found);
    }
    return {
      sessionRole: String(current?.name ?? ""),
      database: String(rows[0]?.database ?? ""),
      authors: map,
      analysis: facts.find((f) => f.name === ANALYSIS_ROLE) ?? null
    };
  }
  function toRoleFacts(row) {
    return {
      oid: String(row.oid),
      name: String(row.name),
      superuser: row.superuser === true,
      canBecome: row.can_become === true,
      temp: row.temp === true,
      holdsAnalysis: row.holds_analysis === true,
      requesterMay: row.requester_may !== false,
      searchPath: String(row.search_path ?? '"$user", public')
    };
  }
  function choosePlanner(authors, facts) {
    const refs = authors.length > 0 ? authors : [CURRENT_USER];
    const known = refs.map((ref) => facts.authors.get(ref)).filter((f) => f !== void 0);
    if (known.length === 0) {
      return { refused: `the role that ran this statement (oid ${refs.join(", ")}) no longer exists, so OptiSchema cannot plan it with that role's rights` };
    }
    const refusals = [];
    for (const author of known) {
      if (author.superuser) continue;
      if (!author.canBecome) {
        refusals.push(
          `statements of role ${author.name} are planned as that role, which ${facts.sessionRole} may not become: GRANT ${quoteIdent(author.name)} TO ${quoteIdent(facts.sessionRole)} (PostgreSQL 16+: WITH INHERIT FALSE) to let it (docs/security.md)`
        );
        continue;
      }
      if (!author.requesterMay) {
        refusals.push(`statements of role ${author.name} are planned as that role, which the role that asked for this advice may not act as`);
        continue;
      }
      if (!author.temp) {
        refusals.push(
          `statements of role ${author.name} are planned as that role, which may not create temporary objects in database ${facts.database}: GRANT TEMP ON DATABASE ${quoteIdent(facts.database)} TO ${quoteIdent(author.name)}`
        );
        continue;
      }
      return { role: author.name, as: "author", author: author.name, searchPath: author.searchPath };
    }
    const privileged = known.find((a) => a.holdsAnalysis);
    if (privileged) {
      const analysis = facts.analysis;
      const why = privileged.superuser ? `of superuser ${privileged.name}` : `of role ${privileged.name}`;
      if (!analysis) {
        return {
          refused: `statements ${why} are planned as ${ANALYSIS_ROLE} (OptiSchema never plans with a superuser's rights), which does not exist here: CREATE ROLE ${ANALYSIS_ROLE} NOLOGIN; GRANT pg_read_all_data TO ${ANALYSIS_ROLE}; GRANT ${ANALYSIS_ROLE} TO ${quoteIdent(facts.sessionRole)}; (docs/security.md)`
        };
      }
      if (!analysis.canBecome) {
        return { refused: `statements ${why} are planned as ${ANALYSIS_ROLE}, which ${facts.sessionRole} may not become: GRANT ${ANALYSIS_ROLE} TO ${quoteIdent(facts.sessionRole)}` };
      }
      if (!analysis.requesterMay) {
        return { refused: `statements ${why} are planned as ${ANALYSIS_ROLE}, which the role that asked for this advice may not act as (it is not a member)` };
      }
      if (!analysis.temp) {
        return { refused: `${ANALYSIS_ROLE} may not create temporary objects in database ${facts.database}: GRANT TEMP ON DATABASE ${quoteIdent(facts.database)} TO ${ANALYSIS_ROLE}` };
      }
      return { role: analysis.name, as: "analysis", author: privileged.name, searchPath: resolveUserInPath(privileged.searchPath, privileged.name) };
    }
    return { refused: refusals[0] ?? `OptiSchema may not plan statements of role ${known[0].name}` };
  }
  function resolveUserInPath(searchPath, author) {
    return searchPath.split(",").map((item) => item.trim()).map((item) => item === '"$user"' || item === "$user" ? quoteIdent(author) : item).join(", ");
  }
  function* choosePlanners(authors, requester = null) {
    const lists = authors.map((list) => list.length > 0 ? list : [CURRENT_USER]);
    const facts = yield* plannerFacts(lists.flat(), requester);
    return lists.map((list) => choosePlanner(list, facts));
  }
  function isPlanner(choice) {
    return !("refused" in choice);
  }

  // plv8/advisor/workload/selection.ts
  var MAX_ROUNDS = 1e4;
  function* measuredSelection(queries, candidates, options, measure) {
    const byRatio = yield* selection(queries, candidates, options, measure);
    if (options.budgetBytes == null || !byRatio.budgetBound) return byRatio;
    const byGain = yield* selection(queries, candidates, options, measure, true);
    const net = (s) => s.gainMs - s.writeCostMs;
    return net(byGain) > net(byRatio) ? byGain : byRatio;
  }
  var MAX_SWAPS = 4;
  var MAX_SWAP_TRIES = 2;
  var MAX_SWAP_OUTS = 3;
  var MAX_MEASURED_MOVES = 8;
  function* selection(queries, candidates, options, measure, byGain = false) {
    const weigh = (netGainMs, bytes) => byGain ? netGainMs : netGainMs / Math.max(bytes, 1);
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const sortedIds = [...byId.keys()].sort();
    const touching = new Map(sortedIds.map((id) => [id, []]));
    for (const q of queries) {
      if (!(q.costBefore > 0) || !(q.weightMs > 0)) continue;
      const ids = /* @__PURE__ */ new Set([...q.costWith.keys(), ...(q.pairCosts ?? []).flatMap((p) => p.ids)]);
      for (const id of ids) touching.get(id)?.push(q);
    }
    const minShare = (options.minImprovementPct ?? 20) / 100;
    const totalWeight = queries.reduce((sum2, q) => q.costBefore > 0 && q.weightMs > 0 ? sum2 + q.weightMs : sum2, 0);
    const minGainMs = (options.minGainPct ?? 0.3) / 100 * totalWeight;
    const budget = options.budgetBytes ?? Infinity;
    const minIndexBytes = options.minIndexBytes ?? 1024 * 1024;
    const groups = [...new Map(queries.flatMap((q) => q.pairCosts ?? []).filter((g) => g.ids.every((id) => byId.has(id))).map((g) => [[...g.ids].sort().join("\0"), [...g.ids].sort()])).entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([, ids]) => ids);
    const chosen = /* @__PURE__ */ new Set();
    const order = [];
    const steps = [];
    let size = 0;
    let budgetBound = false;
    const refusedByBudget = (own, writeCost) => {
      if (!budgetBound && rankingGain(chosen, own) > writeCost) budgetBound = true;
    };
    const gainOver = (set, ids) => compare(set, set, ids).toGain;
    const measured = /* @__PURE__ */ new Map();
    const setKey = (set) => [...set].sort().join("\0");
    const known = (q, set) => set.size === 0 ? q.costBefore : measured.get(q)?.get(setKey(set));
    const costOf = (q, set) => Math.min(known(q, set) ?? Infinity, costWithSet(q, set));
    const touched = (ids) => [...new Set(ids.flatMap((id) => touching.get(id) ?? []))];
    function* measureSet(set, ids) {
      if (measure === null) return;
      const missing = touched(ids).filter((q) => known(q, set) === void 0);
      if (missing.length === 0) return;
      const costs = yield* measure([...set].sort(), missing);
      missing.forEach((q, n) => {
        const cost = costs[n];
        const perSet = measured.get(q) ?? /* @__PURE__ */ new Map();
        perSet.set(setKey(set), cost === null || cost === void 0 ? costWithSet(q, set) : cost);
        measured.set(q, perSet);
      });
    }
    const rankingGain = (from, own) => {
      const ownSet = new Set(own);
      let gain = 0;
      for (const q of touched(own)) {
        const present = costOf(q, from);
        const after = Math.min(costWithSet(q, /* @__PURE__ */ new Set([...from, ...own])), present * costWithSet(q, ownSet) / q.costBefore);
        if (after < present) gain += q.weightMs * (present - after) / q.costBefore;
      }
      return gain;
    };
    const measuredGain = (from, to, ids) => {
      let gain = 0;
      let improvedWeight = 0;
      for (const q of touched(ids)) {
        const before = costOf(q, from);
        const after = costOf(q, to);
        if (!(after < before)) continue;
        gain += q.weightMs * (before - after) / q.costBefore;
        improvedWeight += completesPair(q, from, to) ? q.weightMs * before / q.costBefore : q.weightMs;
      }
      return { gain, improvedWeight };
    };
    const compare = (from, to, ids) => {
      const seen = /* @__PURE__ */ new Set();
      let gain = 0;
      let toGain = 0;
      let improvedWeight = 0;
      for (const id of ids) {
        for (const q of touching.get(id) ?? []) {
          if (seen.has(q)) continue;
          seen.add(q);
          const before = costWithSet(q, from);
          const after = costWithSet(q, to);
          gain += q.weightMs * (before - after) / q.costBefore;
          toGain += q.weightMs * (q.costBefore - after) / q.costBefore;
          if (after < before) improvedWeight += completesPair(q, from, to) ? q.weightMs * before / q.costBefore : q.weightMs;
        }
      }
      return { gain, improvedWeight, toGain };
    };
    function* grow() {
      const refuted = /* @__PURE__ */ new Set();
      const moveKey = (m) => [m.candidate, m.replaced ?? "", ...m.also ?? []].join("\0");
      for (let round3 = 0; round3 < MAX_ROUNDS; round3++) {
        let best = null;
        let refutedNow = 0;
        const ranked = [];
        for (const id of sortedIds) {
          if (chosen.has(id)) continue;
          const candidate = byId.get(id);
          const replaceable = [null, ...[...chosen].sort().filter((p) => extendsIndex(candidate, byId.get(p)))];
          for (const replaced of replaceable) {
            const old = replaced === null ? null : byId.get(replaced);
            const next = new Set(chosen);
            next.add(id);
            if (replaced !== null) next.delete(replaced);
            const affected = replaced === null ? [id] : [id, replaced];
            const addedBytes = candidate.sizeBytes - (old?.sizeBytes ?? 0);
            const writeCost = candidate.writeCostMs - (old?.writeCostMs ?? 0);
            if (size + addedBytes > budget) {
              refusedByBudget([id], writeCost);
              continue;
            }
            const bytes = replaced === null ? Math.max(addedBytes, minIndexBytes) : addedBytes;
            if (measure !== null) {
              const gain2 = rankingGain(chosen, [id]);
              if (gain2 > 0) ranked.push({ move: { candidate: id, replaced, netGainMs: gain2 - writeCost, addedBytes }, ratio: weigh(gain2 - writeCost, bytes), next, affected, writeCost, bytes });
              continue;
            }
            const { gain, improvedWeight } = compare(chosen, next, affected);
            const netGainMs = gain - writeCost;
            if (!(netGainMs > 0) || netGainMs < minShare * improvedWeight || netGainMs < minGainMs) continue;
            const ratio = weigh(netGainMs, bytes);
            const move2 = { candidate: id, replaced, netGainMs, addedBytes };
            if (best === null || better({ move: move2, ratio }, best)) best = { move: move2, ratio };
          }
        }
        for (const group of groups) {
          const missing = group.filter((id) => !chosen.has(id));
          if (missing.length < 2) continue;
          const next = /* @__PURE__ */ new Set([...chosen, ...missing]);
          const writeCost = missing.reduce((sum2, id) => sum2 + byId.get(id).writeCostMs, 0);
          const addedBytes = missing.reduce((sum2, id) => sum2 + byId.get(id).sizeBytes, 0);
          if (size + addedBytes > budget) {
            refusedByBudget(group, writeCost);
            continue;
          }
          const bytes = Math.max(addedBytes, minIndexBytes * missing.length);
          if (measure !== null) {
            const gain2 = rankingGain(chosen, group);
            if (gain2 > 0) ranked.push({ move: { candidate: missing[0], replaced: null, netGainMs: gain2 - writeCost, addedBytes, also: missing.slice(1) }, ratio: weigh(gain2 - writeCost, bytes), next, affected: missing, writeCost, bytes });
            continue;
          }
          const { gain, improvedWeight } = compare(chosen, next, missing);
          const netGainMs = gain - writeCost;
          if (!(netGainMs > 0) || netGainMs < minShare * improvedWeight || netGainMs < minGainMs) continue;
          const ratio = weigh(netGainMs, bytes);
          const move2 = { candidate: missing[0], replaced: null, netGainMs, addedBytes, also: missing.slice(1) };
          if (best === null || better({ move: move2, ratio }, best)) best = { move: move2, ratio };
        }
        if (measure !== null) {
          ranked.sort((a, b) => better(a, b) ? -1 : better(b, a) ? 1 : 0);
          for (const r of ranked.filter((x) => !refuted.has(moveKey(x.move))).slice(0, MAX_MEASURED_MOVES)) {
            if (best !== null && r.ratio < best.ratio) break;
            yield* measureSet(chosen, r.affected);
            yield* measureSet(r.next, r.affected);
            const { gain, improvedWeight } = measuredGain(chosen, r.next, r.affected);
            const netGainMs = gain - r.writeCost;
            if (!(netGainMs > 0) || netGainMs < minShare * improvedWeight || netGainMs < minGainMs) {
              refuted.add(moveKey(r.move));
              refutedNow++;
              continue;
            }
            const candidate = { move: { ...r.move, netGainMs }, ratio: weigh(netGainMs, r.bytes) };
            if (best === null || better(candidate, best)) best = candidate;
          }
        }
        if (best === null && refutedNow > 0) continue;
        if (best === null) break;
        const { move } = best;
        refuted.clear();
        for (const id of move.also ?? []) {
          chosen.add(id);
          order.push(id);
        }
        if (move.replaced !== null) {
          chosen.delete(move.replaced);
          order.splice(order.indexOf(move.replaced), 1);
        }
        chosen.add(move.candidate);
        order.push(move.candidate);
        size += move.addedBytes;
        steps.push(move);
      }
    }
    function* prune() {
      for (let pruned = true; pruned; ) {
        pruned = false;
        let weakest = null;
        for (const id of [...order].sort()) {
          const without = new Set(chosen);
          without.delete(id);
          yield* measureSet(chosen, [id]);
          yield* measureSet(without, [id]);
          const { gain, improvedWeight } = measure === null ? compare(without, chosen, [id]) : measuredGain(without, chosen, [id]);
          const net = gain - byId.get(id).writeCostMs;
          if ((net <= 0 || net < minShare * improvedWeight || net < minGainMs) && (weakest === null || net < weakest.net)) weakest = { id, net };
        }
        if (weakest !== null) {
          chosen.delete(weakest.id);
          order.splice(order.indexOf(weakest.id), 1);
          size -= byId.get(weakest.id).sizeBytes;
          pruned = true;
        }
      }
    }
    function* swap() {
      if (measure === null) return false;
      const without = (id) => new Set([...chosen].filter((c) => c !== id));
      const earns = (id) => (netChange(without(id), chosen, [id]) - byId.get(id).writeCostMs) / Math.max(byId.get(id).sizeBytes, minIndexBytes);
      const outs = [...order].sort().map((id) => ({ id, earns: earns(id) })).sort((x, y) => x.earns - y.earns).slice(0, MAX_SWAP_OUTS);
      for (const { id: out } of outs) {
        const outCandidate = byId.get(out);
        const rest = without(out);
        const freed = size - outCandidate.sizeBytes;
        const moves = [];
        const consider = (own) => {
          const addedBytes = own.reduce((sum2, id) => sum2 + byId.get(id).sizeBytes, 0);
          if (freed + addedBytes > budget) return;
          const writeCost = own.reduce((sum2, id) => sum2 + byId.get(id).writeCostMs, 0);
          const net = rankingGain(rest, own) - writeCost;
          if (net > 0) moves.push({ own, writeCost, addedBytes, ratio: weigh(net, Math.max(addedBytes, minIndexBytes * own.length)) });
        };
        for (const id of sortedIds) if (!chosen.has(id)) consider([id]);
        for (const group of groups) {
          const missing = group.filter((id) => !rest.has(id));
          if (missing.length >= 2 && !missing.includes(out)) consider(missing);
        }
        moves.sort((x, y) => y.ratio - x.ratio || (x.own.join("\0") < y.own.join("\0") ? -1 : 1));
        for (const move of moves.slice(0, MAX_SWAP_TRIES)) {
          const next = /* @__PURE__ */ new Set([...rest, ...move.own]);
          const ids = [out, ...move.own];
          yield* measureSet(chosen, ids);
          yield* measureSet(next, ids);
          const net = netChange(chosen, next, ids) - (move.writeCost - outCandidate.writeCostMs);
          if (!(net > minGainMs)) continue;
          chosen.delete(out);
          order.splice(order.indexOf(out), 1);
          for (const id of move.own) {
            chosen.add(id);
            order.push(id);
          }
          size = freed + move.addedBytes;
          steps.push({ candidate: move.own[0], ...move.own.length > 1 ? { also: move.own.slice(1) } : {}, replaced: out, netGainMs: net, addedBytes: move.addedBytes - outCandidate.sizeBytes });
          return true;
        }
      }
      return false;
    }
    const netChange = (from, to, ids) => touched(ids).reduce((sum2, q) => sum2 + q.weightMs * (costOf(q, from) - costOf(q, to)) / q.costBefore, 0);
    yield* grow();
    yield* prune();
    for (let swaps = 0; budgetBound && swaps < MAX_SWAPS && (yield* swap()); swaps++) {
      yield* grow();
      yield* prune();
    }
    const all = [...chosen];
    return {
      chosen: order,
      steps,
      gainMs: measure === null ? gainOver(chosen, all) : measuredGain(/* @__PURE__ */ new Set(), chosen, all).gain,
      writeCostMs: all.reduce((sum2, id) => sum2 + byId.get(id).writeCostMs, 0),
      sizeBytes: size,
      budgetBound
    };
  }
  function costWithSet(q, set) {
    let cost = q.costBefore;
    for (const [id, c] of q.costWith) if (set.has(id) && c < cost) cost = c;
    for (const group of q.pairCosts ?? []) if (group.ids.every((id) => set.has(id)) && group.cost < cost) cost = group.cost;
    return cost;
  }
  function completesPair(q, from, to) {
    const after = costWithSet(q, to);
    return (q.pairCosts ?? []).some((p) => p.cost === after && p.ids.every((id) => to.has(id)) && !p.ids.every((id) => from.has(id)));
  }
  function extendsIndex(candidate, chosen) {
    if (candidate.table !== chosen.table || (candidate.variant ?? "") !== (chosen.variant ?? "")) return false;
    if (chosen.keys.length >= candidate.keys.length) return false;
    return chosen.keys.every((key, n) => candidate.keys[n] === key);
  }
  function better(a, b) {
    if (a.ratio !== b.ratio) return a.ratio > b.ratio;
    if (a.move.netGainMs !== b.move.netGainMs) return a.move.netGainMs > b.move.netGainMs;
    if (a.move.addedBytes !== b.move.addedBytes) return a.move.addedBytes < b.move.addedBytes;
    return a.move.candidate < b.move.candidate;
  }

  // plv8/advisor/workload/source.ts
  var DEFAULT_MAX_STATEMENTS = 500;
  function applicationStatementCondition(column) {
    return String.raw`(${column} ~* '^\s*(with|select|insert|update|delete|merge|values|table)\M'
    and ${column} !~* '"?(optischema|graphile_worker)"?\.|optischema_entries|^\s*select\s+set_config\('
    and ${column} !~* '\m(pg_[a-z0-9_]+|hypopg[a-z0-9_]*|information_schema)\M'
    and ${column} ~* '\m(from|update|into)\M')`;
  }
  var COLLECTOR_WINDOW_SQL = `/* optischema.workload_window */
select to_char((now() - $2::interval) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since,
       coalesce(sum(s.interval_s), 0)::float8 as seconds
  from optischema.snapshots s
 where s.target_id = $1::uuid and s.captured_at > now() - $2::interval and s.interval_s is not null`;
  var COLLECTOR_STATEMENTS_SQL = `/* optischema.workload_statements */
with per_author as (
  select h.queryid, h.userid, sum(h.calls) as calls, sum(h.total_exec_time) as total_ms
    from optischema.statement_history h
   where h.target_id = $1::uuid and h.captured_at > now() - $2::interval
   group by h.queryid, h.userid
), w as (
  select a.queryid, sum(a.calls) as calls, sum(a.total_ms) as total_ms,
         array_agg(a.userid::text order by a.calls desc, a.userid) as authors
    from per_author a
   group by a.queryid
)
select w.queryid::text as queryid, q.query, w.calls::float8 as calls, w.total_ms::float8 as total_ms, w.authors,
       -- At most 5 per query id (record_statement_samples keeps no more), of any age within retention.
       (select array_agg(s.query order by s.last_seen_at desc, s.times_seen desc, s.query_md5)
          from optischema.statement_samples s where s.target_id = $1::uuid and s.queryid = w.queryid) as samples
  from w join optischema.query_texts q on q.target_id = $1::uuid and q.queryid = w.queryid
 where w.calls > 0 and ${applicationStatementCondition("q.query")}
 order by w.total_ms desc, w.queryid
 limit $3`;
  var COLLECTOR_TABLE_WRITES_SQL = `/* optischema.workload_table_writes */
select h.schema_name as schema, h.table_name as name, sum(h.n_tup_ins)::float8 as inserted, sum(h.n_tup_upd)::float8 as updated,
       sum(h.n_tup_del)::float8 as deleted, sum(h.n_tup_hot_upd)::float8 as hot_updated
  from optischema.table_history h
 where h.target_id = $1::uuid and h.captured_at > now() - $2::interval
 group by h.schema_name, h.table_name`;
  function* collectorWorkload(targetId, since, maxStatements = DEFAULT_MAX_STATEMENTS) {
    const window = (yield { sql: COLLECTOR_WINDOW_SQL, params: [targetId, since] })[0];
    const seconds = Number(window?.seconds ?? 0);
    const statements = (yield { sql: COLLECTOR_STATEMENTS_SQL, params: [targetId, since, maxStatements] }).map(toStatement);
    const writes = seconds > 0 ? yield { sql: COLLECTOR_TABLE_WRITES_SQL, params: [targetId, since] } : [];
    return {
      source: "collector",
      since: String(window?.since ?? ""),
      windowSeconds: seconds,
      statements,
      tableWrites: writes.map((row) => ({
        schema: String(row.schema),
        table: String(row.name),
        insertsPerSecond: Number(row.inserted) / seconds,
        updatesPerSecond: Number(row.updated) / seconds,
        deletesPerSecond: Number(row.deleted) / seconds,
        hotUpdatesPerSecond: Number(row.hot_updated) / seconds
      }))
    };
  }
  var STAT_STATEMENTS_AVAILABLE_SQL = `/* optischema.workload_source */
select to_regclass('pg_stat_statements') is not null as statements, to_regclass('pg_stat_statements_info') is not null as info`;
  var STAT_STATEMENTS_WINDOW_SQL = `/* optischema.workload_window */
with reset as (select coalesce((select i.stats_reset from pg_stat_statements_info i), pg_postmaster_start_time()) as at)
select to_char(reset.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since,
       greatest(extract(epoch from now() - reset.at), 1)::float8 as seconds
  from reset`;
  var STAT_STATEMENTS_SQL = `/* optischema.workload_statements */
with per_author as (
  select s.queryid, s.userid, min(s.query) as query, sum(s.calls) as calls, sum(s.total_exec_time) as total_ms
    from pg_stat_statements s
   where s.dbid = (select d.oid from pg_database d where d.datname = current_database())
     and s.queryid is not null and ${applicationStatementCondition("s.query")}
   group by s.queryid, s.userid
)
select a.queryid::text as queryid, min(a.query) as query, sum(a.calls)::float8 as calls, sum(a.total_ms)::float8 as total_ms,
       array_agg(a.userid::text order by a.calls desc, a.userid) as authors
  from per_author a
 group by a.queryid
having sum(a.calls) > 0
 order by sum(a.total_ms) desc, a.queryid
 limit $1`;
  function* statStatementsWorkload(maxStatements = DEFAULT_MAX_STATEMENTS) {
    const available = (yield { sql: STAT_STATEMENTS_AVAILABLE_SQL, params: [] })[0];
    if (!available?.statements) {
      throw new Error("pg_stat_statements is not available in this database: preload it (shared_preload_libraries) and run CREATE EXTENSION pg_stat_statements;");
    }
    const window = available.info ? (yield { sql: STAT_STATEMENTS_WINDOW_SQL, params: [] })[0] : (yield { sql: `/* optischema.workload_window */ select null::text as since, greatest(extract(epoch from now() - pg_postmaster_start_time()), 1)::float8 as seconds`, params: [] })[0];
    const statements = (yield { sql: STAT_STATEMENTS_SQL, params: [maxStatements] }).map(toStatement);
    return {
      source: "pg_stat_statements",
      since: window?.since === null || window?.since === void 0 ? null : String(window.since),
      windowSeconds: Number(window?.seconds ?? 1),
      statements,
      tableWrites: []
    };
  }
  var LOCAL_HISTORY_SQL = `/* optischema.workload_source */
select t.id::text as target_id
  from optischema.targets t
 where t.secret_ref = 'local'
   and exists (select from optischema.snapshots s
                where s.target_id = t.id and s.captured_at > now() - $1::interval and s.interval_s is not null)`;
  function* localWorkload(since, maxStatements = DEFAULT_MAX_STATEMENTS) {
    const schema = (yield { sql: `/* optischema.workload_source */ select to_regclass('optischema.snapshots') is not null as installed`, params: [] })[0];
    if (schema?.installed) {
      const local = (yield { sql: LOCAL_HISTORY_SQL, params: [since] })[0];
      if (local?.target_id) return yield* collectorWorkload(String(local.target_id), since, maxStatements);
    }
    return yield* statStatementsWorkload(maxStatements);
  }
  function toStatement(row) {
    const calls = Number(row.calls);
    const authors = Array.isArray(row.authors) ? row.authors.map(String) : [];
    const statement = { queryid: row.queryid === null ? null : String(row.queryid), query: String(row.query), calls, meanMs: calls > 0 ? Number(row.total_ms) / calls : 0, authors };
    if (Array.isArray(row.samples) && row.samples.length > 0) statement.samples = row.samples.map(String);
    return statement;
  }

  // plv8/advisor/workload/what-if-cache.ts
  function whatIfKey(query, ddls) {
    return `${query}\0${ddls.join("\0")}`;
  }
  function* planWithIndexes(ddls, queries, cache = /* @__PURE__ */ new Map(), relevance = everyIndex) {
    const workspace = newWorkspace();
    try {
      return yield* planInWorkspace(workspace, ddls, queries, cache, relevance);
    } finally {
      yield* clearWorkspace(workspace);
    }
  }
  function* planOne(query, created) {
    try {
      const { plans: plans2, totalCost } = yield* explainCost(query);
      const names = plans2.flatMap(indexNames);
      return { totalCost, used: created.map((index) => names.includes(index.name)) };
    } catch (error) {
      return { totalCost: null, used: created.map(() => false), error: errorMessage(error) };
    }
  }
  function newWorkspace() {
    return { present: /* @__PURE__ */ new Map() };
  }
  var everyIndex = (_query, ddls) => ddls;
  function* planInWorkspace(workspace, ddls, queries, cache, relevance = everyIndex) {
    const relevant = queries.map((q) => relevance(q, ddls));
    const keys = queries.map((q, n) => whatIfKey(q.text, relevant[n]));
    const widen = (result, n) => {
      const own = relevant[n];
      return own.length === ddls.length ? result : { ...result, used: ddls.map((ddl) => result.used[own.indexOf(ddl)] ?? false) };
    };
    const out = keys.map((key, n) => {
      const hit = cache.get(key);
      return hit && widen(hit, n);
    });
    if (out.every((r) => r !== void 0)) return out;
    const wanted = new Set(ddls);
    for (const [ddl, index] of [...workspace.present]) {
      if (wanted.has(ddl)) continue;
      yield* dropHypothetical(index);
      workspace.present.delete(ddl);
    }
    for (const ddl of ddls) if (!workspace.present.has(ddl)) workspace.present.set(ddl, yield* createHypothetical(ddl));
    for (const [n, query] of queries.entries()) {
      if (out[n] !== void 0) continue;
      const created = relevant[n].map((ddl) => workspace.present.get(ddl));
      const result = yield* planOne(query, created);
      cache.set(keys[n], result);
      out[n] = widen(result, n);
    }
    return out;
  }
  function* clearWorkspace(workspace) {
    for (const index of workspace.present.values()) yield* dropHypothetical(index);
    workspace.present.clear();
  }

  // plv8/advisor/workload/writes.ts
  var MS_PER_INDEX_ENTRY = 0.05;
  function writeRates(table, measured, windowMeasured = false) {
    const found = measured.find((m) => m.schema === table.schema && m.table === table.table);
    const rate2 = found ?? (windowMeasured ? { insertsPerSecond: 0, updatesPerSecond: 0, hotUpdatesPerSecond: 0 } : table);
    return {
      indexWritesPerSecond: rate2.insertsPerSecond + Math.max(0, rate2.updatesPerSecond - rate2.hotUpdatesPerSecond),
      hotUpdatesPerSecond: rate2.hotUpdatesPerSecond
    };
  }
  function writeCostMs(rates, windowSeconds, indexesUpdatedColumn, msPerEntry = MS_PER_INDEX_ENTRY) {
    const perSecond = rates.indexWritesPerSecond + (indexesUpdatedColumn ? rates.hotUpdatesPerSecond : 0);
    return perSecond * windowSeconds * msPerEntry;
  }
  function updatedColumns(statements) {
    const out = /* @__PURE__ */ new Map();
    for (const { query } of statements) {
      const head = /^\s*update\s+(?:only\s+)?((?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?)[\s\S]*?\bset\b([\s\S]*?)(?:\bwhere\b|\bfrom\b|\breturning\b|$)/i.exec(query);
      if (!head) continue;
      const table = unquote(head[1].split(".").pop().trim());
      const columns = out.get(table) ?? /* @__PURE__ */ new Set();
      for (const match of head[2].matchAll(/(?:^|,)\s*("[^"]+"|[\w$]+)\s*(?:\[[^\]]*\]\s*)?=/g)) columns.add(unquote(match[1]));
      for (const group of head[2].matchAll(/\(([^()]*)\)\s*=/g)) for (const name of group[1].split(",")) columns.add(unquote(name.trim()));
      out.set(table, columns);
    }
    return out;
  }
  function unquote(name) {
    return name.startsWith('"') ? name.slice(1, -1) : name.toLowerCase();
  }

  // plv8/engine/protocol.ts
  function* fork(steps, session) {
    const rows = yield { sql: "", fork: { steps, prepare: session.prepare } };
    return rows.map((row) => row.value);
  }

  // plv8/advisor/workload/advise-workload.ts
  var WORKLOAD_POOL_PCT = 5;
  var UNBUDGETED_MOVE_PCT = 20;
  var BUDGETED_MOVE_PCT = 1;
  function* adviseWorkload(workload, options = {}) {
    return yield* withAnalysisSettings(options.statementTimeoutMs ?? 1e4, analyze(workload, options));
  }
  function* adviseLocalWorkload(given = {}) {
    const options = given ?? {};
    const workload = yield* localWorkload(options.since ?? "1 hour", options.maxStatements ?? DEFAULT_MAX_STATEMENTS);
    return yield* adviseWorkload(workload, options);
  }
  function* analyze(workload, options) {
    const state = {
      workload,
      options,
      statements: distinct(workload.statements),
      thresholdPct: options.thresholdPct ?? WORKLOAD_POOL_PCT,
      movePct: options.thresholdPct ?? (options.budgetBytes == null ? UNBUDGETED_MOVE_PCT : BUDGETED_MOVE_PCT),
      maxIndexBytes: options.budgetBytes ?? Infinity,
      cache: options.cache ?? /* @__PURE__ */ new Map(),
      context: newEvaluationContext(),
      errors: [],
      analyzed: [],
      pool: /* @__PURE__ */ new Map(),
      stats: { evaluations: 0, crossEvaluations: 0, crossEvaluationsSkipped: 0, selectionPlans: 0, verifications: 0, cached: 0 },
      session: { prepare: function* () {
      } }
    };
    try {
      const planners = yield* choosePlannersOf(state);
      state.session = { prepare: () => openGuard([...planners.values()]) };
      yield* evaluateStatements(state, planners);
      dropPartialsPerValue(state.pool);
      yield* cover(state);
      yield* crossEvaluate(state);
      const { selectionQueries, writeCosts, chosen } = yield* select(state);
      const verified = yield* verify(state, selectionQueries, chosen);
      return report(state, chosen, verified, writeCosts);
    } finally {
      yield* leaveNothing();
    }
  }
  function* choosePlannersOf(state) {
    const { statements, errors, options } = state;
    const choices = yield* choosePlanners(statements.map((s) => s.authors ?? []), options.requester ?? null);
    const planners = /* @__PURE__ */ new Map();
    statements.forEach((statement, n) => {
      const choice = choices[n];
      if (isPlanner(choice)) planners.set(statement, choice);
      else errors.push({ queryid: statement.queryid, query: statement.query, error: choice.refused });
    });
    try {
      yield* openGuard([...planners.values()]);
    } catch (error) {
      errors.unshift({ queryid: null, query: "", error: errorMessage(error) });
      return /* @__PURE__ */ new Map();
    }
    return planners;
  }
  function* evaluateStatements(state, planners) {
    const { workload, options, cache, context, errors, analyzed, pool, stats, thresholdPct } = state;
    const enter = (e) => {
      if (!pool.has(e.ddl)) pool.set(e.ddl, { candidate: e.candidate, table: e.table, ddl: e.ddl, sizeBytes: e.sizeBytes });
    };
    const evaluate = function* (statement, planner) {
      const evaluation = yield* evaluateQuery(statement.query, planner, { ...options, maxIndexBytes: state.maxIndexBytes }, context, statement.samples ?? [], statement.sampledValues ?? []);
      const usedHere = evaluation.evaluated.filter((e) => e.used && e.costAfter < evaluation.costBefore);
      if (evaluation.query === null || evaluation.plan === null) return { statement, evaluation, usedHere, chains: [] };
      return { statement, evaluation, usedHere, chains: yield* indexChain(evaluation.query, usedHere, thresholdPct) };
    };
    const plannable = state.statements.flatMap((statement) => {
      const planner = planners.get(statement);
      return planner ? [evaluate(statement, planner)] : [];
    });
    for (const { statement, evaluation, usedHere, chains } of yield* fork(plannable, state.session)) {
      for (const error of evaluation.errors) errors.push({ queryid: statement.queryid, query: statement.query, error });
      if (evaluation.query === null || evaluation.plan === null) continue;
      stats.evaluations += evaluation.evaluated.length;
      const weightMs = workload.source === "statements" && statement.meanMs <= 0 ? statement.calls * evaluation.costBefore : statement.calls * statement.meanMs;
      const keys = referencedKeys(evaluation.plan, context);
      const entry = {
        statement,
        query: evaluation.query,
        costBefore: evaluation.costBefore,
        weightMs,
        keys,
        uses: tableUses(evaluation.plan, keys, context),
        plans: evaluation.plans,
        costs: /* @__PURE__ */ new Map(),
        tried: /* @__PURE__ */ new Set(),
        pairs: [],
        ...evaluation.parameters ? { parameters: evaluation.parameters } : {}
      };
      for (const e of evaluation.evaluated) {
        entry.tried.add(e.ddl);
        cache.set(whatIfKey(evaluation.query.text, [e.ddl]), { totalCost: e.costAfter, used: [e.used] });
        if (e.used && e.costAfter < evaluation.costBefore) entry.costs.set(e.ddl, e.costAfter);
        if (e.used && improvement(evaluation.costBefore, e.costAfter) >= thresholdPct && earnsItsInclude(e, usedHere, thresholdPct)) enter(e);
      }
      for (const group of chains) {
        stats.evaluations++;
        entry.pairs.push({ ids: group.members.map((m) => m.ddl), cost: group.cost });
        group.members.forEach(enter);
      }
      for (const set of evaluation.sets) {
        if (!set.used || improvement(evaluation.costBefore, set.costAfter) < thresholdPct) continue;
        stats.evaluations++;
        entry.pairs.push({ ids: set.members.map((m) => m.ddl), cost: set.costAfter });
        for (const m of set.members) {
          entry.tried.add(m.ddl);
          enter(m);
        }
      }
      analyzed.push(entry);
    }
  }
  var MAX_COVERING_EVALUATIONS = 60;
  function* cover(state) {
    const { analyzed, pool, stats, thresholdPct, errors, cache } = state;
    const work = [];
    for (const p of pool.values()) {
      for (const a of analyzed) {
        const cost = a.costs.get(p.ddl);
        const use = a.uses.get(tableKey(p.table));
        if (cost === void 0 || use === void 0) continue;
        work.push({ p, a, use, cost, gain: a.weightMs * (a.costBefore - cost) / a.costBefore });
      }
    }
    work.sort((x, y) => y.gain - x.gain || x.p.ddl.localeCompare(y.p.ddl));
    const variants = [];
    for (const { p, a, use, cost } of work) {
      if (variants.length >= MAX_COVERING_EVALUATIONS) break;
      const covering = coveringCandidate(p.candidate, use);
      if (covering === null || a.tried.has(covering.ddl)) continue;
      a.tried.add(covering.ddl);
      variants.push({ p, a, cost, covering });
    }
    const evaluate = function* ({ a, covering }) {
      try {
        const [result] = (yield* evaluateSetWithin(a.query, [covering.ddl], state.maxIndexBytes)) ?? [];
        return { result };
      } catch (error) {
        return { error };
      }
    };
    const outcomes = yield* fork(variants.map(evaluate), state.session);
    outcomes.forEach((outcome, n) => {
      const { p, a, cost, covering } = variants[n];
      const { candidate, ddl } = covering;
      if ("error" in outcome) {
        errors.push({ queryid: null, query: ddl, error: `hypothetical index ${ddl}: ${errorMessage(outcome.error)}` });
        return;
      }
      const { result } = outcome;
      if (result === void 0) return;
      stats.evaluations++;
      cache.set(whatIfKey(a.query.text, [ddl]), { totalCost: result.totalCost, used: [result.used] });
      if (!result.used || !(result.totalCost < a.costBefore)) return;
      a.costs.set(ddl, result.totalCost);
      if (improvement(cost, result.totalCost) >= thresholdPct && !pool.has(ddl)) pool.set(ddl, { candidate, table: p.table, ddl, sizeBytes: result.sizeBytes });
    });
  }
  function* crossEvaluate(state) {
    const { options, cache, errors, analyzed, pool, stats } = state;
    let budget = options.maxCrossEvaluations ?? 4e3;
    const work = [];
    for (const ddl of [...pool.keys()].sort()) {
      const pooled = pool.get(ddl);
      if (pooled.sizeBytes > state.maxIndexBytes) continue;
      const lead = `${tableKey(pooled.table)}\0${keyText(pooled.candidate.keys[0])}`;
      const needing = analyzed.filter((a) => !a.tried.has(ddl) && a.keys.has(lead));
      if (needing.length === 0) continue;
      const taken = needing.slice(0, Math.max(0, budget));
      stats.crossEvaluationsSkipped += needing.length - taken.length;
      if (taken.length === 0) continue;
      const fresh = taken.filter((a) => !cache.has(whatIfKey(a.query.text, [ddl]))).length;
      stats.cached += taken.length - fresh;
      stats.crossEvaluations += fresh;
      budget -= fresh;
      work.push({ ddl, taken });
    }
    const plan = function* ({ ddl, taken }) {
      try {
        return { planned: yield* planWithIndexes([ddl], taken.map((a) => a.query), cache) };
      } catch (error) {
        return { error };
      }
    };
    const outcomes = yield* fork(work.map(plan), state.session);
    outcomes.forEach((outcome, n) => {
      const { ddl, taken } = work[n];
      if ("error" in outcome) {
        errors.push({ queryid: null, query: ddl, error: `hypothetical index ${ddl}: ${errorMessage(outcome.error)}` });
        return;
      }
      outcome.planned.forEach((result, i) => {
        const a = taken[i];
        a.tried.add(ddl);
        if (result.totalCost !== null && result.used[0] && result.totalCost < a.costBefore) a.costs.set(ddl, result.totalCost);
      });
    });
  }
  function* select(state) {
    const { workload, options, analyzed, pool, movePct } = state;
    const updated = updatedColumns(state.statements);
    const msPerEntry = options.msPerIndexEntry ?? MS_PER_INDEX_ENTRY;
    const writeCosts = /* @__PURE__ */ new Map();
    const candidates = [...pool.values()].map((p) => {
      const setColumns = updated.get(p.table.table) ?? updated.get(p.table.table.toLowerCase());
      const indexesUpdated = setColumns !== void 0 && p.candidate.keys.some((k) => k.column !== void 0 && setColumns.has(k.column));
      const cost = workload.source === "statements" ? 0 : writeCostMs(writeRates(p.table, workload.tableWrites, workload.source === "collector"), workload.windowSeconds, indexesUpdated, msPerEntry);
      writeCosts.set(p.ddl, cost);
      return {
        id: p.ddl,
        table: tableKey(p.table),
        keys: p.candidate.keys.map(selectionKey),
        variant: JSON.stringify([p.candidate.include ?? [], p.candidate.predicate ?? ""]),
        sizeBytes: p.sizeBytes,
        writeCostMs: cost
      };
    });
    const selectionQueries = analyzed.map((a, n) => ({ id: String(n), weightMs: a.weightMs, costBefore: a.costBefore, costWith: a.costs, pairCosts: a.pairs }));
    const queryOf = new Map(selectionQueries.map((q, n) => [q, analyzed[n].query]));
    const relevance = indexRelevance(state);
    const workspaces = /* @__PURE__ */ new Map();
    const inSession = function* (set, query) {
      const known = state.cache.get(whatIfKey(query.text, relevance(query, set)));
      if (known !== void 0) return known.totalCost;
      const pid = Number((yield { sql: "select pg_backend_pid() as pid", params: [] })[0]?.pid);
      if (!workspaces.has(pid)) workspaces.set(pid, newWorkspace());
      const [planned] = yield* planInWorkspace(workspaces.get(pid), set, [query], state.cache, relevance);
      return planned.totalCost;
    };
    const measure = function* (set, queries) {
      state.stats.selectionPlans += queries.length;
      try {
        return yield* fork(queries.map((q) => inSession(set, queryOf.get(q))), state.session);
      } catch {
        return queries.map(() => null);
      }
    };
    let selection2;
    const ownPid = Number((yield { sql: "select pg_backend_pid() as pid", params: [] })[0]?.pid);
    try {
      selection2 = yield* measuredSelection(selectionQueries, candidates, { budgetBytes: options.budgetBytes ?? null, minImprovementPct: movePct }, measure);
    } finally {
      const own = workspaces.get(ownPid);
      if (own) yield* clearWorkspace(own);
    }
    return { selectionQueries, writeCosts, chosen: selection2.chosen };
  }
  function indexRelevance(state) {
    const scanned = new Map(state.analyzed.map((a) => [a.query.text, scannedTables(a.plans, state.context)]));
    return (query, ddls) => {
      const found = scanned.get(query.text);
      if (found === void 0 || found.tables.size === 0) return ddls;
      return ddls.filter((ddl) => {
        const table = state.pool.get(ddl)?.table;
        return table === void 0 || found.tables.has(tableKey(table)) || found.partitionsUnknown && table.kind === "p";
      });
    };
  }
  function* verify(state, selectionQueries, chosen) {
    const { cache, errors, analyzed, stats } = state;
    const chosenSet = new Set(chosen);
    const affected = analyzed.filter((a) => chosen.some((ddl) => a.costs.has(ddl) || a.pairs.some((p) => p.ids.includes(ddl))));
    const after = /* @__PURE__ */ new Map();
    const servedBy = new Map(chosen.map((ddl) => [ddl, []]));
    if (chosen.length === 0 || affected.length === 0) return { after, servedBy };
    let planned;
    try {
      planned = yield* planWithIndexes(chosen, affected.map((a) => a.query), cache, indexRelevance(state));
      stats.verifications += affected.length;
    } catch (error) {
      errors.push({ queryid: null, query: chosen.join("; "), error: `verifying the chosen set: ${errorMessage(error)}` });
      planned = null;
    }
    affected.forEach((a, n) => {
      const result = planned?.[n];
      const cost = result && result.totalCost !== null ? result.totalCost : costWithSet(selectionQueries[analyzed.indexOf(a)], chosenSet);
      if (cost >= a.costBefore) return;
      after.set(a, cost);
      chosen.forEach((ddl, i) => {
        const uses = result && result.totalCost !== null ? result.used[i] : a.costs.get(ddl) === cost || a.pairs.some((p) => p.cost === cost && p.ids.includes(ddl));
        if (uses) servedBy.get(ddl).push(a);
      });
    });
    return { after, servedBy };
  }
  function report(state, chosen, verified, writeCosts) {
    const { workload, options, analyzed, pool, stats, errors } = state;
    const { after, servedBy } = verified;
    const recommendations = [];
    const kept = [];
    for (const ddl of chosen) {
      const served = servedBy.get(ddl);
      if (served.length === 0) continue;
      const pooled = pool.get(ddl);
      kept.push(pooled);
      const queries = served.map((a) => servedStatement(a, after.get(a))).sort((x, y) => y.estimatedSavedMs - x.estimatedSavedMs || x.query.localeCompare(y.query));
      const before = sum(served.map((a) => a.statement.calls * a.costBefore));
      const afterCost = sum(served.map((a) => a.statement.calls * after.get(a)));
      const base = recommendationFor(pooled.candidate, pooled.table, { before, after: afterCost, sizeBytes: pooled.sizeBytes });
      const savedMs = sum(queries.map((q) => q.estimatedSavedMs));
      const writeCost = writeCosts.get(ddl) ?? 0;
      recommendations.push({
        ...base,
        rationale: rationale(pooled, queries, base, savedMs, writeCost, workload, served),
        queries,
        estimatedSavedMs: round2(savedMs, 1),
        writeCostMs: round2(writeCost, 1)
      });
    }
    recommendations.sort((x, y) => y.estimatedSavedMs - x.estimatedSavedMs || x.sql.localeCompare(y.sql));
    const costBefore = sum(analyzed.map((a) => a.statement.calls * a.costBefore));
    const costAfter = sum(analyzed.map((a) => a.statement.calls * (after.get(a) ?? a.costBefore)));
    const timeMs = sum(analyzed.map((a) => a.weightMs));
    return {
      workload: {
        source: workload.source,
        since: workload.since,
        windowSeconds: round2(workload.windowSeconds, 1),
        statements: state.statements.length,
        analyzed: analyzed.length,
        costBefore: round2(costBefore, 2),
        costAfter: round2(costAfter, 2),
        improvementPct: round2(improvement(costBefore, costAfter), 1),
        timeMs: round2(timeMs, 1),
        estimatedTimeMsAfter: round2(sum(analyzed.map((a) => a.costBefore > 0 ? a.weightMs * (after.get(a) ?? a.costBefore) / a.costBefore : a.weightMs)), 1),
        sizeBytes: sum(kept.map((p) => p.sizeBytes)),
        budgetBytes: options.budgetBytes ?? null,
        writeCostMs: round2(sum(kept.map((p) => writeCosts.get(p.ddl) ?? 0)), 1),
        whatIf: stats
      },
      recommendations,
      errors
    };
  }
  function distinct(statements) {
    const byText = /* @__PURE__ */ new Map();
    for (const s of statements) {
      const seen = byText.get(s.query);
      if (!seen) {
        byText.set(s.query, { ...s });
        continue;
      }
      const calls = seen.calls + s.calls;
      if (s.authors) seen.authors = [.../* @__PURE__ */ new Set([...seen.authors ?? [], ...s.authors])];
      seen.meanMs = calls > 0 ? (seen.calls * seen.meanMs + s.calls * s.meanMs) / calls : 0;
      seen.calls = calls;
    }
    return [...byText.values()];
  }
  function servedStatement(a, costAfter) {
    const share = a.costBefore > 0 ? (a.costBefore - costAfter) / a.costBefore : 0;
    return {
      queryid: a.statement.queryid,
      query: a.statement.query,
      calls: a.statement.calls,
      meanMs: round2(a.statement.meanMs, 3),
      costBefore: a.costBefore,
      costAfter,
      improvementPct: round2(improvement(a.costBefore, costAfter), 1),
      estimatedSavedMs: round2(a.weightMs * share, 1),
      ...a.parameters ? { parameters: a.parameters } : {}
    };
  }
  function rationale(pooled, queries, base, savedMs, writeCost, workload, served) {
    const reason = pooled.candidate.reason;
    const n = queries.length;
    const statements = `serves ${n} statement${n === 1 ? "" : "s"} of the workload`;
    const cost = `calls-weighted cost ${round2(base.costBefore, 2)} → ${round2(base.costAfter, 2)} (−${base.improvementPct}%) with the whole chosen set in place (hypopg estimates)`;
    const time = workload.source === "statements" ? "" : `; about ${round2(savedMs, 1)} ms saved over the ${Math.round(workload.windowSeconds)} s window against about ${round2(writeCost, 1)} ms of index writes`;
    const notes = [...new Set(served.flatMap((a) => a.parameters ? [parameterNote(a.parameters)] : []))];
    const evidence = notes.length > 0 ? `; ${notes.join("; ")}` : "";
    return `${reason}; ${statements}; ${cost}${time}; index about ${formatBytes(pooled.sizeBytes)}${evidence}`;
  }
  function sum(values) {
    return values.reduce((a, b) => a + b, 0);
  }
  function round2(value, digits) {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
  }

  // plv8/entry:engine_advise_workload.ts
  function main(plv8, args) {
    return runInPlv8(plv8, adviseLocalWorkload(...args));
  }
  return __toCommonJS(entry_engine_advise_workload_exports);
})();
return optischema_engine.main(plv8, [options]);
$plv8$;
revoke execute on function optischema.engine_advise_workload(jsonb) from public;
