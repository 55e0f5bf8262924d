"""Gap tables: simulated paths (`simulate`), the stock view (`stock`), the flow view (`flows`),
both together with models and manifest (`tables`), and the one headline every output quotes
(`headline`)."""
