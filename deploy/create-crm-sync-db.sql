-- The connector's own state (links, merge bases, tokens, failures) lives beside Temporal's, in its own database.
CREATE DATABASE crm_sync OWNER temporal;
