"""The published site: an MkDocs plugin that generates the ledger's pages at build time."""
