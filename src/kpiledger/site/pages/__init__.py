"""The generated pages of the site (being split into one module per page kind)."""
