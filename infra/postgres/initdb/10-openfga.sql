-- OpenFGA keeps its tables in a database of its own, apart from the services' stores.
CREATE DATABASE openfga OWNER mcp;
