--
-- PostgreSQL database dump
--

--
-- Name: optischema; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA optischema;

--
-- Name: SCHEMA optischema; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA optischema IS 'OptiSchema: PostgreSQL performance advisor (state, history and SQL API)';

--
-- Name: migrations; Type: TABLE; Schema: optischema; Owner: -
--

CREATE TABLE optischema.migrations (
    id integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: migrations migrations_pkey; Type: CONSTRAINT; Schema: optischema; Owner: -
--

ALTER TABLE ONLY optischema.migrations
    ADD CONSTRAINT migrations_pkey PRIMARY KEY (id);

--
-- PostgreSQL database dump complete
--
